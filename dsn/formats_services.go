package dsn

// serviceFormats decode the free-text bounces of sending services, notification formats and
// mobile carriers (Amazon SES, KDDI, ...), in order. Each decoder lives in an mta_<name>.go
// file and returns nil for a mail that is not its own. Bounce mails of Amazon SES, Amazon
// WorkMail, SES inbound (receiving) and SendGrid carry a delivery-status part (WorkMail's in
// its text) and are read by the generic RFC 3464 decoder; the SendGrid decoder claims only
// the reports with SendGrid's own "Action: expired".
var serviceFormats = []format{
	{"amazonses", KindBounce, decodeSESBounce},
	{"amazonses-delay", KindDSN, decodeSESDelay},
	{"amazonses-delivery", KindDSN, decodeSESDelivery},
	{"amazonses-complaint", KindFeedback, decodeSESComplaint},
	{"sendgrid", KindDSN, decodeSendGrid},
	{"kddi", KindBounce, decodeKDDI},
	{"ezweb", KindBounce, decodeEZweb},
	{"biglobe", KindBounce, decodeBiglobe},
}
