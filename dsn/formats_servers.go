package dsn

// serverFormats decode the free-text bounces of mail server software (Postfix, Exim, Sendmail, qmail, ...), in order. Each decoder lives in an mta_<name>.go
// file and returns nil for a mail that is not its own.
var serverFormats = []format{}
