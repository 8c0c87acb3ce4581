package dsn

// serviceFormats decode the free-text bounces of sending services, notification formats and mobile carriers (Amazon SES, SendGrid, KDDI, ...), in order. Each decoder lives in an mta_<name>.go
// file and returns nil for a mail that is not its own.
var serviceFormats = []format{}
