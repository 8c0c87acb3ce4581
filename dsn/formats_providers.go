package dsn

// providerFormats decode the free-text bounces of mailbox providers and corporate systems (Exchange, Office 365, Gmail, Yahoo, ...), in order. Each decoder lives in an mta_<name>.go
// file and returns nil for a mail that is not its own.
var providerFormats = []format{}
