package classify

// Decide returns the verdict for a reason chosen outside Classify, such as a sending service's
// own classification of an event it reports (Amazon SES's bounceType and bounceSubType), with
// the kind, hardness, fault, explanation and advice that Classify gives the reason for these
// facts, and evidence as given. It lets a caller that overrules Classify's reason keep every
// other consequence in one place (reasonTable).
func Decide(reason Reason, f Facts, evidence []string) Verdict {
	return finish(reason, f, evidence)
}
