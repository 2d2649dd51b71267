//! Text normalisation for matching quotes: case and runs of whitespace do not matter, and
//! typographic quotes and dashes match their plain forms (copy-paste from office documents).

pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        let plain = match c {
            '«' | '»' | '“' | '”' | '„' => '"',
            '‘' | '’' => '\'',
            '–' | '—' | '‑' => '-',
            other => other,
        };
        out.extend(plain.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn whitespace_case_and_typography_are_ignored() {
        assert_eq!(normalize("  Салық\n  «КОДЕКСІ» —  "), "салық \"кодексі\" -");
    }
}
