package audit

// sensitive reports whether the field of the entity type is one the ent
// schema declares Sensitive(): the trail records that it changed, never its
// value, which is personal data encrypted at rest or a secret. A test keeps
// this list in step with ent/schema.
func sensitive(typ, field string) bool {
	switch typ + "." + field {
	case "DataRecord.value", "APIToken.secret_hash", "WebhookSubscriber.secret":
		return true
	}
	return false
}

// secret reports whether a sensitive field holds a credential, whose value
// the trail never records, even under KeepValues.
func secret(typ, field string) bool {
	switch typ + "." + field {
	case "APIToken.secret_hash", "WebhookSubscriber.secret":
		return true
	}
	return false
}
