//! Readers' languages: which version of a text to show. Pages and the API take the reader's
//! choice (`?lang=`) first, then the `Accept-Language` their browser or app sends.

/// The languages `header` (an `Accept-Language` value) asks for, most wanted first, after
/// `chosen`; lower-case tags such as `el-gr`, without `*`.
pub fn preferred(chosen: Option<&str>, header: &str) -> Vec<String> {
    let mut weighted: Vec<(f32, String)> = header
        .split(',')
        .filter_map(|part| {
            let mut bits = part.trim().split(';');
            let tag = bits.next()?.trim().to_ascii_lowercase();
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q=")?.parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && tag != "*" && q > 0.0).then_some((q, tag))
        })
        .collect();
    // A stable sort keeps the header's order among equal weights.
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
    chosen
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty())
        .into_iter()
        .chain(weighted.into_iter().map(|(_, tag)| tag))
        .collect()
}

/// The first of `available` a reader wants: an exact tag (`pt-br`), then the same language
/// (`pt`), else the first available (the primary version).
pub fn pick<'a>(wanted: &[String], available: &[&'a str]) -> Option<&'a str> {
    let base = |tag: &str| tag.split('-').next().unwrap_or(tag).to_owned();
    wanted
        .iter()
        .find_map(|w| available.iter().find(|a| *a == w))
        .or_else(|| {
            wanted
                .iter()
                .find_map(|w| available.iter().find(|a| base(a) == base(w)))
        })
        .or(available.first())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_then_the_header_by_weight_then_the_primary_version() {
        let wanted = preferred(None, "el-GR, el;q=0.9, en;q=0.5, *;q=0.1");
        assert_eq!(wanted, ["el-gr", "el", "en"]);
        assert_eq!(pick(&wanted, &["en", "el", "nl"]), Some("el"));
        let wanted = preferred(Some("NL"), "fr");
        assert_eq!(pick(&wanted, &["en", "el", "nl"]), Some("nl"));
        assert_eq!(pick(&preferred(None, "fr"), &["en", "el"]), Some("en"));
        assert_eq!(
            pick(&preferred(None, "pt"), &["en", "pt-br"]),
            Some("pt-br")
        );
        assert_eq!(pick(&[], &[]), None);
    }
}
