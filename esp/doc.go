// Package esp reads the events that sending services (ESPs) report over HTTP instead of by
// mail: Amazon SES notifications delivered through Amazon SNS, the SendGrid Event Webhook,
// Postmark's bounce and spam-complaint webhooks and Mailgun's webhooks. It checks each
// request's signature or credentials, turns every event into the facts the mail decoder
// would have read (classify.Facts), classifies them with classify, lets the provider's own
// classification (SES bounceType/bounceSubType, SendGrid bounce_classification, Postmark
// Type, Mailgun severity and reason) change the verdict where it knows more than the text,
// and records the result through the suppression store's ledger, so that an event delivered
// twice counts once.
//
// The formats and signatures follow the providers' documentation:
//
//   - Amazon SNS, "Verifying the signatures of Amazon SNS messages" and "Parsing message
//     formats" (docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html,
//     sns-message-and-json-formats.html): SignatureVersion 1 is SHA1withRSA, 2 is
//     SHA256withRSA, over the string built from the message's fields in a fixed order.
//   - Amazon SES, "Amazon SES notification contents" and "Contents of event data"
//     (docs.aws.amazon.com/ses/latest/dg/notification-contents.html).
//   - SendGrid, "Event Webhook reference" and "Getting started with the Event Webhook
//     security features" (ECDSA P-256 over timestamp + payload, SHA-256), and "Bounce and
//     block classifications".
//   - Postmark, "Bounce webhook" and "Spam complaint webhook" (postmarkapp.com/developer/
//     webhooks), with HTTP basic authentication (RFC 7617) in the webhook URL.
//   - Mailgun, "Securing webhooks" (HMAC-SHA256 of timestamp + token with the webhook
//     signing key) and "Events" (event-data).
package esp
