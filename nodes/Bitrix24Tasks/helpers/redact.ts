/** Builds a function that replaces every given secret (and its URL-encoded form) with `***`. */
export function makeRedactor(secrets: Array<string | undefined>): (text: string) => string {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (!secret || secret.length < 4) continue;
		forms.add(secret);
		forms.add(encodeURIComponent(secret));
	}
	const list = [...forms].sort((a, b) => b.length - a.length);
	return (text: string) => {
		let out = text;
		for (const secret of list) out = out.split(secret).join('***');
		return out;
	};
}
