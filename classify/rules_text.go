package classify

// textRules are the generic wording patterns, searched in the normalized diagnostic text
// (lower case, blanks collapsed). Order is precedence: the first rule with a matching phrase
// wins. Narrow, unmistakable wording comes first (null MX, relaying, full mailbox, size),
// then the sender-side refusals, then the unknown-user family, and the vague system and
// network wording last. A phrase "a * b" needs "a" and, later in the same clause, "b".
//
// The wording is the receivers' own, as seen in bounces from Postfix, Exim, Sendmail, qmail,
// Exchange, Courier, Domino and the large mailbox providers. Each rule says above it which
// general statement it implements and its source (RFC 5321, RFC 3463 and the IANA registry,
// or the receiver's documentation); no phrase is here to reach one corpus file's label (see
// docs/disagreements.md for where the corpus labels and the mails part ways).
var textRules = []textRule{
	// A receiver that "does not accept mail from" someone is refusing the sender, not saying
	// that its domain takes no mail.
	rule(ReasonBlocked, "does not accept mail from", "not accept mail from your", "does not accept email from"),
	// A quota on the sender's own sending (IANA X.7.28 "mail flood" family) is not a full
	// mailbox.
	rule(ReasonSpeeding, "sending quota", "sending limit exceeded", "daily sending limit", "daily user sending",
		"too many recipients this hour", "submission quota"),
	// Many unknown recipients from one sender speak of the sender's list and traffic, not of
	// one address (Yahoo's "[TSS11] Excessive unknown recipients - possible Open Relay"): a
	// refusal of the sender, before the unknown-user wording below can read it as this
	// address's.
	rule(ReasonBlocked, "excessive unknown recipients", "too many unknown recipients", "too many invalid recipients",
		"too many unknown users", "too many invalid users"),
	// The sending service made no attempt, because the address is on its own suppression
	// list: whatever it says of why it was suppressed ("a recent history of bouncing as an
	// invalid address"), nothing new was learnt of the address (Amazon SES: "Amazon SES has
	// suppressed sending to this address", Mailgun: "Not delivering to previously bounced
	// address", Postmark: "a recipient that has been marked as inactive"). Before the
	// unknown-user wording that such texts quote.
	rule(ReasonSuppressed, "suppressed sending", "suppression list", "not delivering to previously bounced",
		"previously bounced address", "recipient that has been marked as inactive",
		// Postmark: "You tried to send to recipient(s) that have been marked as inactive."
		"have been marked as inactive"),
	// Refusals of the envelope sender that name an address problem: the sender's, not the
	// recipient's (RFC 3463 X.1.7/X.1.8: the sender's mailbox or system address is bad).
	rule(ReasonRejected, "sender address has null mx", "sender address does not exist",
		"sender domain does not exist", "sender address rejected",
		// cPanel's Exim: "550-Sender has no A, AAAA, or MX DNS records.": the sender's domain.
		"sender has no a, aaaa, or mx", "sender domain has no"),
	// A domain with no MX record, and no address to fall back on (RFC 5321 §5.1), has no mail
	// server: an unknown host in DNS, not a null MX (OpenSMTPD's "No MX found for domain").
	rule(ReasonHostUnknown, "no mx found", "no mx record", "no mx or a record"),
	// RFC 7505 null MX (X.1.10) and RFC 7504 (521/556 "does not accept mail"): the recipient's
	// domain accepts no mail at all. Exim says "an MX or SRV record indicated no SMTP service".
	rule(ReasonNotAccept,
		"indicated no smtp service",
		"null mx", "nullmx", "does not accept mail", "doesn't receive email", "does not receive email",
		"not accepting mail for this domain", "domain does not accept", "host does not accept mail",
		"mail receiving disabled"),
	// A server that answers "554 No SMTP service here" (RFC 5321 §3.1, §4.3.2) talks SMTP and
	// refuses the session: RFC 7504 §1 notes that 554 serves other refusals too (a client
	// refused by policy, as GMX's "No SMTP service" is) and gives a host that accepts no mail
	// 521 of its own. Only DNS (Exim's
	// "indicated no SMTP service" above, a null MX) or 521/556 say the domain takes no mail.
	rule(ReasonBlocked, "no smtp service"),
	// RFC 5321 §3.6.2 and §7.1: the server is not the recipient's and will not relay for the
	// sender (Postfix "Relay access denied", qmail "not in my list of allowed rcpthosts").
	rule(ReasonNoRelaying,
		"not configured to relay", "to relay mail",
		"relay access denied", "relaying denied", "relay denied", "relay not permitted",
		"relaying not allowed", "relaying disallowed", "relay disallowed",
		"not allowed to relay", "not permitted to relay", "unable to relay", "we do not relay", "no relaying",
		"relaying is prohibited", "relay prohibited", "not relaying", "insecure mail relay",
		"is not permitted to relay through this server", "relaying mail to * is not allowed",
		"that domain isn't in my list of allowed rcpthost", "domain isn't in my list of allowed rcpthosts",
		// spamdyke: "550 Refused. Sending to remote addresses (relaying) is not allowed.";
		// Kerio Connect: "550 5.7.1 Relaying to <a@example.net> denied".
		"relaying is not allowed", "(relaying) is not allowed", "relaying to * denied",
		"mail server requires authentication when attempting to send to a non-local e-mail address",
		// hMailServer answers RCPT TO with "550 Delivery is not allowed to this address." when
		// its IP range settings do not let the client deliver to that (external) address:
		// its refusal to relay.
		"delivery is not allowed to this address",
		"we don't handle mail for", "not a gateway", "as a relay"),
	// The same in other languages: relaying is not allowed.
	rule(ReasonNoRelaying,
		"relaying nicht erlaubt", "relay nicht erlaubt", "relaying nicht gestattet", "relais interdit",
		"relayage interdit", "relais refuse", "relay no permitido", "no se permite el relay", "relay non permesso",
		"relay non consentito", "relay nao permitido", "relaying niet toegestaan", "ретрансляция запрещена",
		// Relaying refused or not authorized in other words, and the other names of a relay
		// (Italian "inoltro", Portuguese "retransmissão", Chinese "中继").
		"relaying verweigert", "relay verweigert", "relais non autorise", "relayage non autorise",
		"relay denegado", "relay no autorizado", "inoltro non consentito", "inoltro non permesso",
		"relay negado", "retransmissao negada", "relay nao autorizado", "禁止中继", "不允许中继", "拒绝中继",
		"禁止中繼", "不允許中繼", "拒絕中繼", "リレー拒否", "中継を拒否", "릴레이 거부"),
	// RFC 3463 X.1.6 "destination mailbox has moved" and RFC 5321's 551 "user not local" in
	// the receivers' words.
	rule(ReasonHasMoved,
		" has been replaced by ", "address has moved", "no longer on server", "mailbox has moved",
		"user has moved", "has moved to", "changed his e-mail address", "changed her e-mail address"),
	// RFC 3463 X.2.2 / RFC 5321 552 "exceeded storage allocation": the mailbox is full.
	rule(ReasonMailboxFull,
		"mailbox exceeds allowed size", "exceeds allowed size", "exceeds the allowed size",
		"mailbox full", "mailbox is full", "mailbox has exceeded", "mailbox over quota", "mailbox quota",
		"mailbox size limit exceeded", "mailbox would exceed", "mailbox exceeded", "mailfolder is full",
		"over quota", "overquota", "over the quota", "quota exceeded", "exceeded quota", "exceeds quota",
		"quota violation", "over disk quota", "disk quota", "diskspace quota", "quota full", "quota reached",
		"reached disk quota", "exceeding its mailbox quota", "exceeded storage allocation",
		"exceeded its storage",
		"storage quota", "full mailbox", "boite du destinataire pleine", "user's space has been used up",
		"not enough storage space in", "does not have enough space",
		"no space left on device", "too much mail data", "user has too many messages", "mail box full",
		"maildir over quota", "maildir delivery failed: userdisk quota", "recipient's mailbox is full",
		"account is full", "inbox is full", "is over quota", "over its quota", "mailbox is over",
		"mail quota exceeded", "quota limit",
		// "This person's account is exceeding their quota." (newmail.ru, in the peers corpus)
		"exceeding their quota", "account is exceeding"),
	// The same in other languages, as localized Exchange NDRs ("Das Postfach des Empfängers
	// ist voll", "La boîte aux lettres du destinataire est pleine") and providers write it.
	rule(ReasonMailboxFull,
		"postfach voll", "postfach ist voll", "postfach des empfangers ist voll", "mailbox voll", "mailbox ist voll",
		"quota uberschritten", "speicherplatz * erschopft", "speicherplatz * voll",
		"boite aux lettres pleine", "boite aux lettres du destinataire est pleine", "boite pleine",
		"boite de reception pleine", "boite de reception est pleine", "quota depasse",
		"buzon lleno", "buzon * esta lleno", "cuota excedida", "cuota superada",
		"casella piena", "casella * e piena", "cassetta postale * piena", "quota superata",
		"caixa postal cheia", "caixa de correio cheia", "caixa * esta cheia", "cota excedida", "quota excedida",
		"postvak vol", "postvak * is vol", "mailbox vol", "mailbox is vol", "quotum overschreden",
		"skrzynka pelna", "skrzynka * jest pelna", "schranka je plna", "schranka plna", "prekrocena kvota",
		"kvota prekrocena", "postafiok megtelt", "postafiok tele", "posta kutusu dolu", "kota asildi", "kotasi asildi",
		"brevladan ar full", "postladan ar full", "postkassen er fuld", "postkassen er full", "postilaatikko on taynna",
		"ящик переполнен", "ящик * переполнен", "превышена квота", "квота превышена", "ящик заполнен",
		"скринька переповнена", "скриньку переповнено", "перевищено квоту",
		"メールボックスがいっぱい", "メールボックスが一杯", "容量が一杯", "容量がいっぱい", "容量超過", "容量オーバー",
		"邮箱已满", "邮箱空间不足", "邮箱容量已满", "邮箱容量不足", "信箱已滿", "信箱容量不足",
		"메일함 용량", "메일함이 가득", "용량이 초과", "용량 초과",
		// Storage used up, saturated, over its allowance ("Speicherkontingent überschritten",
		// "boîte saturée", "spazio esaurito", "caixa postal lotada", "przepełniona", "꽉 찼").
		"speicherkontingent * uberschritten", "boite aux lettres saturee", "boite * saturee", "spazio * esaurito",
		"caixa postal * lotada", "caixa * lotada", "mailbox * is vol", "skrzynka * przepelniona",
		"скринька * переповнена", "信箱空間不足", "邮箱空间已满", "메일함이 꽉", "kvot * overskriden",
		"tarhely * megtelt"),
	// RFC 3463 X.3.4 / X.2.3: the message is larger than the system or mailbox takes.
	rule(ReasonMesgTooBig,
		"message too big", "message too large", "message is too large", "message is too big",
		"message size exceeds", "message exceeds maximum size", "exceeds the maximum message size",
		"exceeded the maximum message size", "message length exceeds", "message file too big",
		"size limit", "message size limit", "too large for this system", "taille limite du message atteinte",
		"exceeds maximum message size", "maximum message size exceeded", "mail size exceeds",
		"message exceeded * maximum size", "exceeded maximum * message size"),
	// The same in other languages: the message is too large.
	rule(ReasonMesgTooBig,
		"nachricht ist zu gross", "nachricht zu gross", "e-mail ist zu gross", "message trop volumineux",
		"message est trop volumineux", "mensaje demasiado grande", "mensaje es demasiado grande",
		"messaggio troppo grande", "mensagem muito grande", "bericht is te groot", "wiadomosc jest za duza",
		"сообщение слишком большое", "письмо слишком большое", "サイズが大きすぎ", "邮件过大", "邮件大小超过", "메일 크기",
		// The message exceeds the permitted size, or is too big, in other words.
		"uberschreitet die zulassige grosse", "uberschreitet die maximal zulassige grosse", "taille du message depasse",
		"excede el tamano", "excede o tamanho", "dimensione del messaggio superiore", "bericht te groot",
		"zprava je prilis velka", "prilis velka zprava", "размер письма превышает", "размер сообщения превышает",
		"ileti boyutu", "サイズが制限を超え", "郵件大小超過", "郵件過大", "meddelandet ar for stort",
		"meddelelsen er for stor", "meldingen er for stor", "viesti on liian suuri", "uzenet tul nagy"),
	// RFC 3463 X.5.3 "too many recipients" and header limits.
	rule(ReasonExceedLimit,
		"message header size exceeds limit", "too many recipients", "recipient limit exceeded",
		"exceeded the max recipients", "message header size, or recipient list, exceeds"),
	// RFC 3463 X.2.1 "mailbox disabled" / X.7.13 "user account disabled": the mailbox exists
	// but takes no mail now.
	rule(ReasonSuspend,
		"temporary locked", "temporarily locked",
		"account disabled", "account is disabled", "account has been disabled", "account is inactive",
		"account inactive", "account is suspended", "account has been suspended", "account suspended",
		"account is locked", "account has been locked", "account is frozen", "mailbox is frozen",
		"mailbox disabled", "mailbox is disabled", "mailbox has been disabled", "mailbox currently suspended",
		"mailbox is inactive", "mailbox inactive", "is a deactivated mailbox", "this mailbox is disabled",
		"recipient account is blocked", "le compte du destinataire est bloque", "user is terminated",
		"user suspended", "user is suspended", "user or domain is disabled", "recipient suspend the service",
		"account that you tried to reach is disabled", "account that you tried to reach is inactive",
		"boite du destinataire archivee", "mailbox clos", "invalid/inactive user", "inactive user",
		"user account disabled", "user account is unavailable", "account has been temporarily suspended",
		"this account has been disabled or discontinued", "mailbox unavailable: account disabled",
		"has been disabled", "expired account", "account expired", "account closed", "user not active",
		"deactivated"),
	// The same in other languages: the recipient's account or mailbox is disabled, suspended,
	// locked or dormant.
	rule(ReasonSuspend,
		"konto * deaktiviert", "postfach * deaktiviert", "konto * gesperrt", "postfach * gesperrt",
		"compte desactive", "compte suspendu", "compte bloque", "compte * desactive",
		"cuenta deshabilitada", "cuenta desactivada", "cuenta suspendida", "cuenta * suspendida", "cuenta bloqueada",
		"account disabilitato", "casella disabilitata", "account disattivato", "casella * disattivata", "account sospeso", "casella sospesa", "casella bloccata",
		"conta desativada", "conta suspensa", "conta bloqueada", "account gedeactiveerd", "account geblokkeerd",
		"konto zablokowane", "konto * zablokowane", "konto nieaktywne", "konto wylaczone", "ucet zablokovan",
		"hesap askiya alindi", "hesap devre disi",
		"учетная запись заблокирована", "учетная запись отключена", "ящик заблокирован", "ящик отключен",
		"обліковий запис заблоковано", "скриньку заблоковано",
		"利用停止", "已被冻结", "已冻结", "已停用", "已被停用", "已被禁用", "휴면 계정", "휴면 상태", "정지된 계정"),
	// Microsoft Exchange's NDR tokens name their cause unambiguously.
	{reason: ReasonUserUnknown, certain: true, phrases: compilePhrases([]string{
		"resolver.adr.recipnotfound", "resolver.adr.exrecipnotfound", "recipnotfound",
	})},
	// Microsoft's NDR tokens, named in Exchange's documentation (RESOLVER.ADR.RecipLimit, ...).
	rule(ReasonExceedLimit, "resolver.adr.reciplimit"),
	rule(ReasonMesgTooBig, "resolver.rst.recipsizelimit"),
	// A recipient's restriction on which senders it takes is the recipient's own settings
	// refusing this sender (postingRestrictions): filtered. Where the restriction names
	// what the sender lacks, authentication (Exchange's AuthRequired, 5.7.133-5.7.136
	// SenderNotAuthenticatedFor*: the recipient takes mail only from senders authenticated
	// to its organization), it names a security requirement the sender must meet:
	// securityerror. The authentication rule comes first: Microsoft's text for 5.7.133 also
	// says "only accepts messages from people in its organization".
	rule(ReasonSecurityError, "resolver.rst.authrequired", "resolver.rst.sendernotauthenticatedfor"),
	rule(ReasonFiltered, postingRestrictions...),
	rule(ReasonMailboxFull, "quotaexceededexception"),
	// Directory lookups reported by the recipient's own mail system (Domino, Notes, Exchange,
	// IMail, Yahoo).
	{reason: ReasonUserUnknown, certain: true, phrases: compilePhrases([]string{
		"not listed in domino directory", "not listed in public name & address book",
		// Domino's German: "Benutzer a@example.org ist nicht im Domino-Verzeichnis aufgeführt".
		"nicht im domino-verzeichnis",
		// French: "Utilisateur a@example.org non répertorié dans l'annuaire Domino".
		"non repertorie dans l'annuaire domino",
		"recipient name is not recognized", "invalid user address", "invalid final delivery userid",
		// Yahoo's own reply: "554 delivery error: dd This user doesn't have a yahoo.com account".
		"delivery error: dd this user doesn't have a",
	})},
	// RFC 3463 X.1.1 "bad destination mailbox address" in the receivers' words: the mailbox does
	// not exist. This unmistakable wording comes before the sender-side refusals, whose broad
	// words ("blocked", "listed in", "access denied") also appear in unknown-user replies; the
	// hard guard (rules_sender.go) still sets it aside when the text speaks of the sender.
	rule(ReasonUserUnknown,
		"user unknown", "unknown user", "unknown recipient", "recipient unknown", "unknown mailbox",
		"mailbox unknown", "unknown local part", "unknown local-part", "no such user", "no such recipient",
		"no such mailbox", "no such person", "no such email address", "no such account",
		"mailbox not found", "mailbox does not exist", "mailbox doesn't exist", "user does not exist",
		"user doesn't exist", "user not found", "recipient does not exist", "recipient doesn't exist",
		"recipient not found", "invalid recipient", "invalid mailbox", "is not a known user",
		"account that you tried to reach does not exist", "recipientnotfound", "addressee unknown",
		"destinataire invalide", "utilisateur inconnu",
		"not listed in public name & address book", "not listed in domino directory",
		"doesn't have a * account", "does not have a * account", "email address does not exist",
		"address does not exist", "no mailbox here by that name", "invalid or unknown virtual user",
		"in my badrcptto list", "not in my validrcptto list", "no account by that name",
		"x-unix; unknown user", "non-existent user", "nonexistent user", "non existent user"),
	// The same in other languages, as localized Exchange NDRs ("Die E-Mail-Adresse, die Sie
	// eingegeben haben, konnte nicht gefunden werden", "L'adresse de messagerie que vous avez
	// entrée est introuvable", Microsoft 365's "a wurde bei example.org nicht gefunden") and
	// providers and administrators write it (accents folded: "usuário" is "usuario").
	rule(ReasonUserUnknown,
		// German, Dutch.
		"benutzer unbekannt", "unbekannter benutzer", "empfanger unbekannt", "empfaenger unbekannt",
		"unbekannter empfanger", "unbekannter empfaenger", "adresse unbekannt", "unbekannte adresse",
		"mailbox nicht vorhanden", "postfach nicht vorhanden", "benutzer nicht vorhanden", "postfach existiert nicht",
		"mailbox existiert nicht", "benutzer existiert nicht", "empfanger existiert nicht", "adresse existiert nicht",
		"benutzer nicht gefunden", "empfanger nicht gefunden", "postfach nicht gefunden", "adresse nicht gefunden",
		"die sie eingegeben haben, konnte nicht gefunden werden", "wurde bei * nicht gefunden",
		"gebruiker onbekend", "onbekende gebruiker", "ontvanger onbekend", "onbekende ontvanger",
		"e-mailadres is niet gevonden", "gebruiker bestaat niet", "mailbox bestaat niet", "adres bestaat niet",
		// The same with the verb written out ("Der Empfänger ist unbekannt"), and an invalid
		// address or recipient ("Die E-Mail-Adresse ist ungültig", "E-mailadres onbekend").
		"empfanger ist unbekannt", "benutzer ist unbekannt", "adresse ist unbekannt", "adresse * ist ungultig",
		"adresse ungultig", "ungultige adresse", "ungultiger empfanger", "empfanger ungultig", "adres onbekend",
		// French, Spanish, Italian, Portuguese.
		"destinataire inconnu", "adresse inconnue", "utilisateur inexistant", "destinataire inexistant",
		"adresse inexistante", "entree est introuvable", "adresse e-mail est introuvable", "est introuvable sur",
		"usuario desconocido", "destinatario desconocido", "usuario inexistente", "destinatario inexistente",
		"buzon inexistente", "cuenta inexistente", "destinatario no valido", "no se encontro la direccion",
		"utente sconosciuto", "destinatario sconosciuto", "indirizzo sconosciuto", "utente inesistente",
		"destinatario inesistente", "casella inesistente", "indirizzo inesistente", "destinatario non valido",
		"impossibile trovare l'indirizzo", "non e stato trovato in",
		"usuario desconhecido", "utilizador desconhecido", "destinatario desconhecido", "utilizador inexistente",
		"conta inexistente", "caixa postal inexistente", "destinatario invalido", "email inserido nao foi encontrado",
		"nao foi encontrado em",
		// Polish, Czech, Hungarian, Turkish, the Nordic languages.
		"uzytkownik nieznany", "nieznany uzytkownik", "nie ma takiego uzytkownika", "nie ma takiego konta",
		"nie ma takiej skrzynki", "skrzynka nie istnieje", "konto nie istnieje", "uzytkownik nie istnieje",
		"adres nie istnieje", "nie mozna odnalezc wprowadzonego adresu", "nieznany adresat",
		"uzivatel neexistuje", "neznamy uzivatel", "schranka neexistuje", "adresa neexistuje",
		"ismeretlen felhasznalo", "felhasznalo nem letezik", "nincs ilyen felhasznalo", "postafiok nem letezik",
		"kullanici bulunamadi", "boyle bir kullanici yok", "alici bulunamadi", "gecersiz alici", "kullanici mevcut degil",
		"okand anvandare", "anvandaren finns inte", "mottagaren finns inte", "ukendt bruger", "brugeren findes ikke",
		"modtageren findes ikke", "ukjent bruker", "brukeren finnes ikke", "mottakeren finnes ikke",
		"tuntematon kayttaja", "kayttajaa ei ole", "vastaanottajaa ei loydy",
		// Russian, Ukrainian.
		"пользователь не найден", "нет такого пользователя", "пользователь не существует", "неизвестный пользователь",
		"ящик не существует", "адрес не существует", "получатель не найден", "адресат не найден",
		"не удалось найти указанный адрес",
		"користувача не знайдено", "користувач не існує", "скринька не існує", "невідомий користувач",
		// Japanese, Chinese, Korean.
		"宛先不明", "ユーザー不明", "ユーザ不明", "ユーザーが存在しません", "ユーザが存在しません",
		"アドレスは存在しません", "アドレスが存在しません", "アドレスが見つかりません", "ユーザーが見つかりません",
		"用户不存在", "使用者不存在", "邮箱不存在", "地址不存在", "账户不存在", "帐号不存在", "账号不存在",
		"找不到您输入的", "找不到你输入的",
		"존재하지 않는 사용자", "존재하지 않는 계정", "사용자 없음", "주소를 찾을 수 없", "사용자를 찾을 수 없"),
	// A mailbox or account that has been deleted no longer exists: RFC 3463 X.1.1's
	// "the mailbox specified in the address does not exist", said of its past ("Das Postfach
	// wurde gelöscht", "Ce compte a été supprimé", "Konto zostało usunięte", "Почтовый ящик
	// удалён"). The mailbox or account is named: a deleted message is no such word.
	rule(ReasonUserUnknown,
		"account has been deleted", "mailbox has been deleted", "account was deleted", "mailbox was deleted",
		"account has been removed", "mailbox has been removed", "address has been deleted",
		"postfach wurde geloscht", "konto wurde geloscht", "adresse wurde geloscht", "postfach * geloscht",
		"konto * geloscht", "compte a ete supprime", "compte * supprime", "boite aux lettres * supprimee",
		"adresse * supprimee", "cuenta * eliminada", "buzon * eliminado", "account * eliminato",
		"casella * eliminata", "casella * cancellata", "conta * excluida", "conta * removida",
		"account * verwijderd", "mailbox * verwijderd", "konto * usuniete", "skrzynka * usunieta",
		"ucet * zrusen", "schranka * zrusena",
		"ящик удален", "ящик * удален", "учетная запись удалена", "аккаунт удален", "скриньку видалено",
		"скринька видалена", "обліковий запис видалено",
		"アカウントは削除", "アカウントが削除", "账户已被删除", "帐户已被删除", "账号已被删除", "邮箱已被删除",
		"帳號已被刪除", "삭제된 계정", "계정이 삭제"),
	// RFC 5322 (and 2822) header rules named by the receiver: the message's format.
	rule(ReasonNotCompliantRFC,
		"messages with multiple addresses in from", "multiple addresses in from",
		"not rfc 5322 compliant", "not rfc5322 compliant", "rfc 5322", "rfc5322", "rfc 2822", "rfc2822",
		"rfcmessagenoncompliant", "not rfc compliant", "rfc-compliant", "multiple from", "duplicate header",
		"missing date header", "missing from header", "missing message-id", "header is not compliant",
		"headers that are duplicated", "does not conform to rfc"),
	// Sender authentication: RFC 7208 SPF, RFC 6376 DKIM, RFC 7489 DMARC, RFC 8617 ARC (IANA
	// X.7.20-X.7.26, X.7.29).
	rule(ReasonAuthFailure,
		"unauthenticated email", "unauthenticated mail",
		"spf check", "spf fail", "spf: fail", "spf validation", "spf record", "fails to pass spf",
		"sender policy framework", "dkim", "dmarc", "fails to pass authentication",
		"is unauthenticated", "not pass authentication", "sender is unauthenticated",
		"authentication checks", "authentication information", "is not allowed to send mail from",
		"is not allowed to send from", "sender address is not authorized", "not authorized to send on behalf",
		"does not designate * as permitted sender", "designates * as not permitted",
		"arc validation",
		// An SPF result (RFC 7208 §2.6) named as the cause, whatever the words around it:
		// Cisco AsyncOS's "550 #5.7.1 SPF unauthorized mail is prohibited", pypolicyd-spf's
		// "Message deferred due to: SPF softfail", a gateway's "Sender authentication
		// failed - SPF"; and the SPF project's explanation page that postfix-policyd-spf-perl
		// points to alone ("Please see http://www.openspf.net/Why?s=mfrom;...").
		"spf", "openspf.net/why", "openspf.org/why", "open-spf.org/why"),
	// IANA X.7.25 "reverse DNS validation failed": the sending IP's PTR record.
	rule(ReasonRequirePTR,
		"reverse dns required", "no reverse dns", "reverse dns failed", "invalid reverse dns",
		"fix reverse dns", "reverse dns entry", "reverse dns lookup", "reverse dns name",
		"without reverse dns", "invalid rdns", "rdns record", "reverse lookup rejected",
		"reverse lookup failed",
		"ptr record", "no ptr",
		"cannot find your hostname", "cannot find your reverse hostname", "ip name lookup failed",
		"unresolvable relay host name", "domain * mismatches client ip",
		"please get a custom reverse dns name", "generic dns ptr", "dns ptr resource record",
		"hostname does not match"),
	// The sender's reputation, as the reference pages word refusals of it.
	rule(ReasonBadReputation,
		"reputation", "bad ip profile"),
	// A virus scanner that failed found nothing: the receiver could not scan, its own
	// trouble (amavisd-new's "451 4.5.0 Error in processing, id=..., virus_scan FAILED:
	// virus scanners failed"). Before the virus wording, which would read it as a finding.
	rule(ReasonSystemError, "virus_scan failed", "virus scan failed", "virus scanner failed",
		"virus scanners failed", "scanners failed"),
	// A virus or a banned attachment in the message (the content).
	rule(ReasonVirusDetected,
		"virus", "malware", "infected", "potentially executable attachment",
		"executable files are not allowed",
		"banned attachment", "dangerous attachment",
		// amavisd-new's reject of a banned file type: "554 5.7.0 Reject, id=... - BANNED: ...".
		"reject, id=* - banned"),
	// The same in other languages.
	rule(ReasonVirusDetected, "virenbefund", "viren gefunden", "virenverdacht", "вирус", "ウイルス", "病毒", "바이러스"),
	// A content filter judged the message spam (RFC 3463 X.7.1 as the receivers use it).
	rule(ReasonSpamDetected,
		"scored as spam", "as spam",
		"spam detected", "detected as spam", "classified as spam", "considered spam", "considered as spam",
		"looks like spam", "looks like a spam", "looked like spam", "identified as spam", "rejected as spam",
		"flagged as spam", "probably spam", "probable spam", "likely spam", "appears to be spam",
		"seems to be spam", "message is spam", "is spam", "spam message", "spam content", "spam score",
		"spamassassin", "spam filter", "antispam", "anti-spam", "spam-like", "spam like",
		"unsolicited mail", "unsolicited bulk", "unsolicited commercial", "bulk mail", "bulk email",
		"content filter rejection", "message content rejected", "rejected by spam", "spam not accepted",
		"spam refused", "spam rejection", "spam check", "blocked by spamassassin", "spambouncer",
		"junk mail", "recurrent pattern detection", "uribl", "surbl", "message scored", "spam policy",
		"high probability of spam", "our filters rate", "blacklisted url",
		// Unsolicited mail is spam's definition (RFC 2505); a suspicion of spam is a spam
		// verdict (Yandex's "Message rejected under suspicion of SPAM", AOL's "RLY:B1 ...
		// transmit unsolicited e-mail").
		"unsolicited", "suspicion of spam", "suspected spam", "suspected as spam", "spam abuse",
		// Spam given as the cause of the refusal ("554 5.7.1 Mail rejected due to spam").
		"due to spam", "because of spam", "rejected for spam",
		// amavisd-new's reject of spam: "554 5.7.0 Reject, id=... - SPAM".
		"reject, id=* - spam"),
	// The same in other languages: the message was taken for spam ("als Spam eingestuft",
	// "considéré comme spam", "迷惑メール", "垃圾邮件").
	rule(ReasonSpamDetected,
		"als spam", "comme spam", "comme du spam", "como spam", "come spam", "considerado spam",
		"considerato spam", "jako spam", "spam olarak", "как спам", "похоже на спам", "як спам",
		"迷惑メール", "垃圾邮件", "垃圾郵件", "스팸으로", "스팸 메일",
		// The other words for spam and a suspicion of it ("Verdacht auf Spam", Québec's
		// "pourriel", "correo no deseado", "ritenuto spam", "por conter spam", "podejrzenie
		// spamu", "обнаружен спам", "похоже на спам").
		"verdacht auf spam", "spamverdacht", "pourriel", "courrier indesirable", "correo no deseado",
		"ritenuto spam", "conter spam", "contem spam", "wegens spam", "podejrzenie spamu", "обнаружен спам",
		"на спам"),
	// A local policy refused the message (RFC 3463 X.7.1/X.7.2, Exim's "administrative
	// prohibition").
	rule(ReasonPolicyViolation,
		"policy reasons", "policy violation", "violates our policy", "violation of policy",
		"message not accepted for policy", "email not accepted for policy", "rejected by organization policy",
		"organization policy", "prohibited attachment", "illegal attachment",
		"attachments with file extensions",
		"attachment type", "file extension", "not accepting mail with attachments",
		"mass mailer", "by the recipient's policy", "recipient's policy", "due to policy", "local policy",
		"content policy", "policy restrictions", "host network not allowed", "administrative prohibition",
		// Yandex's "550 5.7.1 Policy rejection on the target address".
		"policy rejection",
		"policies",
		// The receiver's rules refused what the message holds (Postfix's header_checks and
		// body_checks reject with "5.7.1 message content rejected"); not its encoding (X.6.x).
		"content rejected", "content denied",
		// Barracuda's "554 rejecting banned content": content its policy bans.
		"banned content",
		// The receiver's content filter or compliance rule refused the message: rules its
		// administrator set on content (AsyncOS content filters, Google Workspace's content
		// compliance). A filter that names spam is the spam wording's, above.
		"content filter", "compliance rule"),
	// RFC 3463 X.6.x: the message's encoding or MIME structure.
	rule(ReasonContentError,
		"improper use of 8-bit data", "8bit data", "invalid mime", "mime complexity",
		"improperly-formatted binary content", "unnecessary base64 encoding", "header error",
		"header size exceeds", "message content", "content error", "charset", "message header size exceeds",
		"illegal characters", "bare lf", "bare linefeed", "line too long", "lines too long"),
	// RFC 3207 STARTTLS and IANA X.7.10/X.7.11/X.7.30: encryption required or failed. TLS
	// that is unavailable, not offered where required, or that failed is a STARTTLS failure
	// whoever reports it (RFC 3207 §4's "454 TLS not available due to temporary reason",
	// Postfix's "454 4.7.0 TLS not available due to local problem", Exim's "a TLS session is
	// required, but the server did not offer TLS support" and "TLS error on connection to
	// ...", Postfix's client "Cannot start TLS: handshake failure" and "Server certificate
	// not verified", OpenSSL's "certificate verify failed").
	rule(ReasonFailedSTARTTLS,
		"does not support tls", "doesn't support tls", "support starttls",
		"starttls", "tls required", "tls is required", "must issue a starttls command", "encryption required",
		"requires encryption", "tls handshake", "tls negotiation", "requiretls", "ssl required",
		"tls connection", "no supported ciphers", "certificate verification failed",
		"tls not available", "tls session is required", "did not offer tls", "tls error",
		"certificate verify failed", "cannot start tls", "handshake failure", "certificate not verified",
		// The certificate or its DANE record (RFC 7672) failed, and TLS versions refused, as
		// Exchange Online words them: "4.7.322 certificate-expired: Destination mail
		// server's certificate is expired", "4.7.323 tlsa-invalid: The domain failed DANE
		// validation", "4.7.325 certificate-host-mismatch", "4.7.66 TLS 1.0 and 1.1 are not
		// supported". Before "expired", which would read the certificate's age as the queue's.
		"certificate-expired", "certificate is expired", "certificate has expired", "certificate expired",
		"tlsa-invalid", "dane validation", "certificate-host-mismatch", "tls 1.0", "tls 1.1"),
	// RFC 4954 SMTP AUTH and IANA X.7.1/X.7.8: the sender was not authorised or authenticated.
	rule(ReasonSecurityError,
		"delivery not authorized", "delivery not authorised",
		"authentication required", "authentication failed", "authentication failure",
		"authentication credentials invalid", "not authenticated", "you must authenticate",
		"smtp auth", "must be authenticated", "unauthenticated senders not allowed", "verification failure",
		"not authorized to send mail, authentication is required", "account not subscribed to ses",
		"authentication is required"),
	// Connection limits: the sender opened too many at once (RFC 5321 §4.5.3.2 421 replies).
	// Before the rate wording: "Too many connections, slow down" (Orange) names the
	// connections as what to slow down.
	rule(ReasonTooManyConn,
		"too many connections", "too many concurrent", "too many sessions", "too many smtp sessions",
		"connection limit", "connections limit", "maximum connection", "max connection", "connection rate",
		"trop de connexions", "too many simultaneous", "exceeds per-domain connection limit",
		"too many errors from your ip", "concurrent connections", "number of connections",
		// Sendmail's FEATURE(conncontrol): "421 4.3.2 Too many open connections.".
		"too many open connections"),
	// The same in other languages: too many connections.
	rule(ReasonTooManyConn,
		"zu viele verbindungen", "demasiadas conexiones", "troppe connessioni", "muitas conexoes",
		"te veel verbindingen", "zbyt wiele polaczen", "prilis mnoho spojeni", "cok fazla baglanti",
		"слишком много соединений", "слишком много подключений", "连接数过多", "接続数が多すぎ"),
	// IANA X.7.28 "mail flood": the sender's rate, and the limits on its volume per day,
	// per hour or per account (Gmail's "Daily SMTP relay limit exceeded for user",
	// Microsoft's "reached your daily limit for message recipients", "has exceeded permitted
	// limits", "tenant has exceeded threshold", Zoho's "Unusual sending activity detected").
	rule(ReasonSpeeding,
		"rate limit", "rate-limit", "ratelimit", "rate limited", "rate control", "sending rate",
		"too many messages", "too many mails", "too many emails", "sent too many", "too quickly",
		"too fast", "slow down", "try again slower", "frequency limited",
		"at a rate that prevents", "exceeded the max emails per hour", "mail flood", "sending quota exceeded",
		"daily sending quota", "message rate", "daily limit", "relay limit", "permitted limits",
		"exceeded threshold", "exceeded the threshold", "sending activity",
		// Postfix's smtpd_client_message_rate_limit: "450 4.7.1 Error: too much mail from
		// 192.0.2.1"; the Exim specification's ratelimit example: "Sender rate exceeds 100
		// messages per 1h".
		"too much mail from", "sender rate"),
	// The same in other languages: the sender's rate ("发信频率过高", QQ's and NetEase's
	// "frequency" limits in Chinese).
	rule(ReasonSpeeding, "发信频率", "发送频率", "频率过高", "频率限制", "送信数が多すぎ", "слишком много писем",
		"zu viele nachrichten", "trop de messages", "demasiados mensajes", "troppi messaggi",
		// A sending limit reached, or too many messages, in other words ("Límite de envío
		// excedido", "Te veel berichten", "Przekroczono limit wysyłania", "Превышен лимит
		// отправки", "Çok fazla ileti").
		"limite de envio", "limite di invio", "versandlimit", "sendelimit", "te veel berichten", "limit wysylania",
		"prilis mnoho zprav", "лимит отправки", "cok fazla ileti", "zu viele e-mails", "trop de courriels"),
	// The envelope sender or its list membership was refused (RFC 5321 §3.3 MAIL FROM, IANA
	// X.1.7/X.1.8, X.7.2 "mailing list expansion prohibited"). Whatever the outcome of a
	// check of the sender's address (Exim's "Sender verify failed" and "451 Could not
	// complete sender verify callout"), a refusal of the envelope sender (qmail-smtpd's "553
	// sorry, your envelope sender has been denied") and a requirement on the sender's
	// address (Sendmail's "553 5.5.4 <s>... Real domain name required for sender address")
	// speak of the sender.
	rule(ReasonRejected, "sender verify", "envelope sender", "required for sender address",
		"all recipient addresses rejected", "email address is not verified",
		"to/from an address that has been blacklisted", "address that has been blacklisted",
		"sender address is blacklisted",
		"sender address rejected", "sender rejected", "sender is rejected", "sender was rejected",
		"sender denied", "sender verification failed", "sender address invalid",
		"invalid sender", "sender domain", "domain of sender address", "sender address has null mx",
		"unroutable sender address", "sender is in my badmailfrom list", "badmailfrom",
		"sender not pre-approved", "null sender is not allowed", "empty envelope senders not allowed",
		"returned mail not accepted here", "mail from not owned by user", "emetteur invalide",
		// RFC 5321 §2.3.1 calls the sender the originator: "553 Originator <s> unknown".
		"originator",
		// Google Groups' notice "the group you tried to contact may not exist, or you may
		// not have permission to post messages to the group": a refusal of the sender's
		// post that does not say the group exists (postingRestrictions hold the definite
		// forms), before the hedged "may not exist" can read as an unknown address.
		"permission to post",
		"no third-party dsns",
		"fully qualified email address required", "sender address does not exist", "mail from address",
		"envelope blocked", "mail from: domain", "from: domain is invalid", "sender's domain",
		// Restrictions on whom the sender may send as (Exchange's "5.2.252 SendAsDenied; ...
		// not allowed to send as ...", "5.7.60 SMTP; Client does not have permissions to send
		// as this sender").
		"sender not allowed", "not allowed to send as", "sendasdenied",
		"send as permission", "permissions to send as", "permission to send as"),
	// The same in other languages: the sender refused, its address or its domain.
	rule(ReasonRejected,
		"absender abgelehnt", "absenderadresse", "absenderdomain", "absender unbekannt", "absender ungultig",
		"expediteur refuse", "expediteur rejete", "expediteur inconnu", "expediteur invalide",
		"domaine de l'expediteur", "adresse de l'expediteur",
		"remitente rechazado", "remitente desconocido", "remitente no valido", "dominio del remitente",
		"direccion del remitente", "mittente rifiutato", "mittente sconosciuto", "mittente non valido",
		"dominio del mittente", "indirizzo del mittente", "remetente rejeitado", "remetente desconhecido",
		"remetente invalido", "dominio do remetente", "endereco do remetente", "afzender geweigerd",
		"afzender onbekend", "nadawca odrzucony", "nadawca nieznany", "domena nadawcy", "adres nadawcy",
		"odesilatel odmitnut", "gonderen reddedildi",
		"отправитель отклонен", "домен отправителя", "адрес отправителя", "送信者のドメイン", "送信者のアドレス",
		"发件人被拒绝", "发件人域名", "发件人地址", "발신자 도메인", "발신자 주소",
		// The sender blocked, in other words.
		"remitente bloqueado", "expediteur bloque", "mittente bloccato", "remetente bloqueado",
		"afzender geblokkeerd", "absender * gesperrt", "absender blockiert"),
	// The sender's own account or settings are at fault, not the receiving system: Gmail's
	// "Send mail as" relay (support.google.com/mail/?p=CustomFromDenied): "You're sending this
	// from a different address or alias using the 'Send mail as' feature. The settings for your
	// 'Send mail as' account are misconfigured or out of date." A bounce is read by its sender,
	// so "your account/settings" are the sender's; it comes before the system-error wording
	// ("misconfigured") that would blame the receiver.
	rule(ReasonRejected, "send mail as", "settings for your", "your account settings",
		"your settings are misconfigured"),
	// The recipient's own settings refused the sender: the mailbox exists.
	rule(ReasonFiltered, "you have been blocked by the recipient", "blocked by the recipient"),
	// The sending server or IP is refused: DNS block lists (RFC 5782), dynamic address
	// ranges, and receivers' "blocked" wording.
	rule(ReasonBlocked,
		"refused to talk to me", "no access from mail server", "open relay",
		"too many unwanted messages", "unwanted messages have been sent",
		"blacklist", "black list", "blocklist", "block list", "denylist", "deny list", "blocked using", "is listed", "are listed",
		"ip listed", "dnsbl", "rbl", "spamhaus", "spamcop", "sorbs", "barracuda", "abuseat",
		"client host blocked", "client host rejected", "client ip blocked", "ip blocked", "blocked ip",
		"ip address blocked", "your ip", "ip banned", "banned sending ip", "sending ip",
		"blocked for abuse", "blocked by", "blocked - see", "bloquee", "refused - see http",
		"service refused", "service refuse", "not currently accepting mail from",
		"dynamic ip", "dynamic/zombied", "residential ip", "hosts with dynamic",
		// A dial-up range is a dynamic one (T-Online's "Dialup IP address not allowed").
		"dialup ip", "dial-up ip",
		"helo command rejected", "you are not allowed to connect",
		"has been blocked", "have been blocked", "temporarily deferred",
		"permanently deferred", "poor sending practices", "looks suspiciously like spammer",
		"not allowed to send mail", "blocked", "mail from your server is not accepted",
		"your server is not allowed", "rejected your ip",
		// A banned sender or sending account, and a dynamic address range in other words
		// (Microsoft's "5.7.511 Access denied, banned sender[192.0.2.1]", "5.7.501 ... The
		// sending account has been banned", AOL's "DYN:T1 ... a dynamic (residential) IP
		// address").
		"banned sender", "been banned", "dynamic * ip address"),
	// The same in other languages: the sender's IP, and the lists that name it.
	rule(ReasonBlocked, sendingIPAbroad...),
	// "Access denied" alone, after the sender-address refusals and the blocks, is a security
	// refusal.
	rule(ReasonSecurityError, "access denied"),
	// RFC 4954 §6 (X.7.9): the AUTH mechanism the client chose is too weak for the server.
	rule(ReasonSecurityError, "authentication mechanism is too weak", "mechanism is too weak"),
	// The recipient's filters or preferences refused the message; the mailbox exists.
	rule(ReasonFiltered,
		"message filtered", "filtered", "user refuses to receive", "refuses to receive",
		"refused due to recipient preferences", "recipient preferences", "rejected due to user rules",
		"only accepting mail from specific email addresses", "is not accepting any mail",
		"has restricted sms e-mail", "refuse to receive mail",
		"user reject", "this account is protected by", "recipient refuses to accept your mail"),
	// The same in other languages: the recipient's settings refuse the mail ("受信拒否" of
	// the Japanese carriers, "수신 거부", "拒收").
	rule(ReasonFiltered, "受信拒否", "受信を拒否", "수신 거부", "수신거부", "拒收"),
	// The recipient's domain does not exist or has no host (RFC 3463 X.1.2, DNS NXDOMAIN,
	// Exim's "Unrouteable address", qmail's "couldn't find any host"). A lookup that merely
	// failed is a network error below.
	rule(ReasonHostUnknown,
		"all relevant mx records point to non-existent hosts", "nonexistentdomain",
		"host * not found", "domain * not found",
		"host unknown", "unknown host", "host not found", "host or domain name not found",
		"domain not found", "domain name not found", "no such domain", "unknown domain", "domain unknown",
		"domain does not exist", "domain doesn't exist", "domain must exist",
		"domain is not reachable. please check the domain",
		"unrouteable address", "unroutable address", "name or service not known", "couldn't find any host",
		"no such host", "invalid domain", "nxdomain", "domain is invalid", "recipient domain must exist",
		"unrouteable mail domain",
		// Exchange Online: "550 5.4.310 DNS domain example.invalid does not exist
		// [Message=InfoDomainNonexistent]": the DNS says the name does not exist.
		"dns domain * does not exist", "infodomainnonexistent",
		// Exchange 2003's NDR: "The destination server for this recipient could not be found
		// in Domain Name Service (DNS)": the name is not in DNS.
		"could not be found in domain name service", "not be found in dns"),
	// The same in other languages: the recipient's domain does not exist or was not found.
	rule(ReasonHostUnknown,
		"domain existiert nicht", "domane existiert nicht", "domain nicht gefunden", "domane nicht gefunden",
		"domaine inexistant", "domaine inconnu", "domaine introuvable", "le domaine n'existe pas",
		"dominio inexistente", "dominio inesistente", "el dominio no existe", "dominio no encontrado",
		"dominio sconosciuto", "dominio nao existe", "domein bestaat niet", "domena nie istnieje",
		"domena neexistuje", "домен не существует", "домен не найден", "домен не існує",
		"ドメインが存在しません", "ドメインは存在しません", "域名不存在", "도메인이 존재하지 않"),
	// RFC 5321 451 "local error in processing", RFC 3463 X.3.0 and X.4.3 directory failures.
	// A file the receiving system needs that does not exist is its own trouble, not a
	// missing address (qmail-local's "Unable to switch to /home/a: file does not exist.
	// (#4.3.0)"), before the vaguer "does not exist" below.
	rule(ReasonSystemError, "internal system error", "internal error", "local error in processing",
		"unable to contact ldap", "ldap server", "user missing home directory", "file does not exist"),
	// Vaguer wording that still says the address or mailbox does not exist or is invalid,
	// once nothing more specific matched. Not here: RFC 5321's ambiguous "mailbox unavailable"
	// (550: "mailbox not found, no access, or command rejected for policy reasons"), 551's
	// "user not local", and Postfix's bare "Recipient address rejected" prefix, none of which
	// says the address is bad.
	rule(ReasonUserUnknown,
		"address couldn't be found", "address could not be found",
		// Exchange's NDR for 5.1.1: "The e-mail address you entered couldn't be found.
		// Please check the recipient's e-mail address and try to resend the message." (as
		// its German and French forms below, "die Sie eingegeben haben, konnte nicht
		// gefunden werden", "entrée est introuvable").
		"you entered couldn't be found", "you entered could not be found",
		"unknown address", "address unknown", "no such address", "no mailbox",
		"mailbox invalid", "recipient invalid",
		"invalid address", "address invalid", "bad destination", "bad recipient", "recipient not exist",
		"user not exist", "user not known", "user is unknown",
		"is not a valid mailbox", "not a valid recipient", "not a valid user",
		"address doesn't exist", "address not present", "account does not exist", "not found in directory",
		"email address could not be found", "email address is wrong", "no longer valid",
		"no longer accepts mail", "there is no one at this address", "recipient not found by",
		"this user doesn't have",
		"not our customer", "unknown e-mail address", "unknown email address", "no valid recipients",
		"user * not found", "user * does not exist", "mailbox * does not exist", "rcpt * does not exist",
		// "550 Address a@example.org not found": the address named in the clause (an
		// address of the sender's is set aside by the hard guard).
		"address * not found",
		"is not a valid",
		"bad address", "invalid user",
		// phquery, the mail gateway of university directories (Yale): "No matches to
		// nameserver query", which the bounce itself explains as the directory failing "to
		// locate either a ph alias, name or nickname field that matches the supplied name";
		// and "Does not have a final email delivery point": no mailbox behind the name.
		"no matches to nameserver query", "does not have a final email delivery point"),
	// Wording that something "was not found" or "does not exist" without naming what: the
	// clause names it (subjectIsHost). A server, host or domain that is not found is an
	// unknown host ("550 The destination server was not found", "Le serveur est
	// introuvable", "No se encontró el servidor"); otherwise it is the address, user or
	// mailbox the bounce is about.
	{reason: ReasonUserUnknown, subject: true, phrases: compilePhrases([]string{
		"was not found", "does not exist", "doesn't exist", "not exist", "no existe", "n'existe pas",
	})},
	// The same in other languages.
	{reason: ReasonUserUnknown, subject: true, phrases: compilePhrases([]string{
		"existiert nicht", "bestaat niet", "introuvable", "inexistant", "inexistente", "inesistente",
		"no se encontro", "nao existe", "nie istnieje", "neexistuje", "nem letezik",
		"finns inte", "findes ikke", "finnes ikke", "ei ole olemassa",
		"не существует", "не найден", "не існує", "не знайдено",
		"存在しません", "不存在", "존재하지 않",
		// "No longer exists" and "(was) not found" ("Cette adresse n'existe plus", "Usuario no
		// encontrado", "L'utente non esiste", "Indirizzo non trovato", "Alıcı adresi
		// bulunamadı", "ユーザーは存在しない", "ユーザが見つかりません").
		"n'existe plus", "no encontrado", "no encontrada", "non esiste", "non trovato", "non trovata",
		"nao encontrado", "nao encontrada", "adresi bulunamadi", "adres bulunamadi", "hesap bulunamadi",
		"存在しない", "が見つかりません",
	})},
	// RFC 5321 452 / RFC 3463 X.3.1 "mail system full".
	rule(ReasonSystemFull,
		"insufficient disk space", "not enough disk space",
		"mail system full", "insufficient system storage", "system storage", "out of storage",
		"disk full", "queue full", "system is full"),
	// A local delivery program failed (RFC 3464 §2.3.6 X-Unix diagnostics, pipes, procmail).
	rule(ReasonMailerError,
		"no such file or directory",
		"x-unix", "command died", "command failed", "exit code", "exited with", "mailer error",
		"mail delivery agent", "procmail", "pipe to", "program failed", "delivery program",
		"unknown mailer error", "maildrop", "service unavailable, exit status",
		// Postfix's pipe(8) states a command's exit status in the words of sys_exits.c and
		// adds what the command printed ("temporary failure. Command output: ..."). Its
		// output is no failure by itself: EX_NOUSER reads "user unknown. Command output:
		// ...", the delivery program saying the addressee does not exist. The other statuses
		// are the program's own failure.
		"command line usage error", "data format error. command output", "cannot open input",
		"service unavailable. command output", "internal software error", "system resource problem",
		"critical os file missing", "can't create user output file", "output error. command output",
		"temporary failure. command output", "remote error in protocol", "permission denied. command output",
		"local configuration error"),
	// RFC 3463 X.4.7 "delivery time expired": the sender's queue gave up.
	rule(ReasonExpired,
		"cannot send message for", "could not send message for", "queue.expired",
		"connection timed out", "could not connect", "unable to connect", "cannot connect", "can't connect",
		"did not accept our requests to connect", "timed out", "still undelivered", "will keep trying",
		"will be retried",
		"have been failing for a long time", "has been failing for a long time", "retry timeout exceeded",
		"expired", "retry timeout", "retry time", "could not be delivered for", "delivery time expired",
		"could not be delivered within", "not reachable within the allowed queue period",
		"deferred for too long",
		"has been delayed"),
	// RFC 3463 X.4.x: the connection, routing or DNS between the servers failed.
	rule(ReasonNetworkError,
		"able to establish an smtp connection", "unable to establish",
		"connection refused", "looping", "forwarding loop", "routing loop", "mail loop", "loop count exceeded",
		"too many hops", "hop count exceeded", "host lookup did not complete", "mxloopback",
		"network error", "network is unreachable", "no route to host", "host is unreachable",
		"connection reset", "connection closed", "lost connection",
		// Exchange Online's "4.4.318 Connection was closed abruptly".
		"connection was closed",
		// The other side hung up (Exim's "Remote host mx.example.org [192.0.2.1] closed
		// connection in response to end of data").
		"closed connection", "closed the connection",
		"connection dropped", "dns error", "name service error", "dns failure", "host name lookup failure",
		"lookup failure", "dns lookup failed", "dns query failed", "cannot resolve",
		"no answer", "did not respond",
		"unable to resolve route",
		// The recipient domain's MX leads back to the sending host, which may not send to
		// itself (RFC 5321 §5.1): Exim's "lowest numbered MX record points to local host".
		"points to local host",
		// RFC 3463 X.4.4 "unable to route" and an unreachable host, in other words
		// ("Routing: Could not find a gateway for user@example.org", "421 Host not reachable").
		"could not find a gateway", "host not reachable"),
	// Giving up after a long time says only how it ended; a cause named before it (a network
	// or system failure) is the better reason.
	rule(ReasonExpired, "giving up", "gave up", "queue too long", "in the queue too long", "too old",
		"unable to deliver message after multiple retries"),
	// RFC 5321 421/451 and RFC 3463 X.3.x: the receiving system's own trouble.
	rule(ReasonSystemError,
		"service currently unavailable", "transaction failed",
		"loop", "local error", "internal error", "server error",
		"configuration error", "config error", "misconfigured", "system error", "temporary failure",
		"temporary error", "temporarily unavailable", "service unavailable", "service not available",
		"try again later", "queue file write error", "interrupted system call", "timeout waiting for input",
		"could not load", "can't create", "cannot create", "unexpected error", "processing error",
		"error while being processed", "resources temporarily", "system problem", "mail system problem",
		// The service itself asks to come back (Yandex's "451 4.7.1 Sorry, the service is
		// currently unavailable. Please come back later.", Exim's "please try later").
		"currently unavailable", "come back later", "try later",
		// The same request in other languages (accents folded): German "versuchen Sie es
		// später erneut", French "réessayez plus tard", Spanish "inténtelo más tarde",
		// Italian "riprovare più tardi", Portuguese "tente novamente mais tarde", Japanese
		// "しばらくしてから再度", Chinese "请稍后重试" / "请稍后再试".
		"spater erneut", "spater noch einmal", "reessayez plus tard", "reessayer plus tard",
		"intentelo mas tarde", "intentelo de nuevo mas tarde", "intente mas tarde",
		"riprovare piu tardi", "riprova piu tardi", "tente novamente mais tarde",
		"しばらくしてから再度", "しばらくしてから再送", "稍后重试", "稍后再试"),
	// RFC 5321 500-504 / RFC 3463 X.5.x: the SMTP dialogue itself.
	rule(ReasonSyntaxError,
		"malformed address",
		"syntax error", "command unrecognized", "unrecognized command", "command not recognized",
		"bad sequence of commands", "command not implemented", "parameter not implemented",
		"unknown command", "invalid command", "protocol error"),
	// The sending service's own suppression list (Amazon SES and others) in vaguer words than
	// the rule near the top: no attempt was made.
	rule(ReasonSuppressed, "suppressed", "on our suppression", "address is on the suppression"),
}

// greylisting wording: a receiver that defers first attempts from unknown senders. It is a
// temporary refusal that ordinary retries pass; if the sender gave up anyway it expired.
var greylistRule = textRule{
	reason:  ReasonExpired,
	phrases: compilePhrases([]string{"greylist", "graylist", "grey list", "gray list", "greylisted"}),
	note:    "greylisting",
}

// postingRestrictions are a recipient's restrictions on which senders it takes, as groups,
// distribution lists and mailing lists write them: the recipient exists, and its own
// settings refuse this sender. Mailing another address from the same sender would pass, so
// the refusal is the recipient's, not a judgement of the sender's address or server: the
// reason is filtered (soft), not rejected (the envelope sender refused for itself). The
// restriction may name members or subscribers only, an allowed-senders list, senders inside
// the organization, or a moderator: Exchange's and Microsoft 365's delivery restrictions
// (learn.microsoft.com, NDRs 5.7.1 NotAuthorized, 5.7.124, 5.7.129, 5.7.193
// UnifiedGroupAgent, "The group ... only accepts messages from people in its organization or
// on its allowed senders list"); the list managers' posting restrictions (Mailman's "You are
// not allowed to post to this mailing list" and "Post by non-member to a members-only
// list", Mailman 3's "The message is not from a list member", Sympa's "You are not allowed
// to send messages to list", LISTSERV's "You are not authorized to send mail to the X list",
// Majordomo's "Non-member submission", ezmlm's "Sorry, only subscribers may post", mlmmj's
// "Only subscribers can post", Google Groups' "You do not have permission to post to this
// group"). The IANA registry's X.7.2 says the same ("the sender is not authorized to send a
// message to the intended mailing list"). Not here: Google Groups' notice that the group
// "may not exist, or you may not have permission to post", which does not say the group
// exists.
var postingRestrictions = []string{
	"resolver.rst.notauthorized", "resolver.rst.restrictedtorecipientspermission",
	"resolver.rst.deliveryrestrictions", "resolver.mod.rejected", "unifiedgroupagent", "allowed-senders",
	"allowed senders", "only accepts messages from people in its organization", "permission to send to this recipient",
	"permission to send to it", "accept list for the recipient", "delivery to this address is restricted",
	"permitted to send to this group", "allowed to send to this group", "rejected by the moderator",
	"isn't a group member", "isn't a member", "is not a member", "not a member of", "not from a list member",
	"non-member", "members-only", "closed mailing list", "only members can post", "only subscribers",
	"not a subscriber", "restricted to its subscribers", "not allowed to post", "do not have permission to post",
	"don't have permission to post", "not allowed to send messages to list", "not authorized to send mail to the * list",
	"does not accept posts", "only internal senders",
}
