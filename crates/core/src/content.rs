//! Post text: plain text from local authors becomes HTML with linked addresses, mentions and
//! hashtags; HTML from remote servers is sanitised with ammonia before it is stored.

use regex::Regex;
use std::collections::HashSet;

/// A mention found in plain text: `@user` (local) or `@user@domain`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MentionHandle {
    pub username: String,
    pub domain: Option<String>,
}

/// An actor a post mentions, as it should be linked.
#[derive(Clone, Debug)]
pub struct MentionLink {
    /// The text as written, without the leading `@` (`user` or `user@domain`).
    pub handle: String,
    pub url: String,
}

fn mention_regex() -> Regex {
    // Usernames: letters, digits, `_`, `.` and `-` (Mastodon and Lemmy styles); domains may
    // carry a port in debug mode (`localhost:8080`).
    Regex::new(r"(?:^|[^\w@/])@([A-Za-z0-9_][A-Za-z0-9_.-]*)(?:@([A-Za-z0-9.-]+(?::\d+)?))?")
        .unwrap_or_else(|_| unreachable!("constant regex"))
}

fn hashtag_regex() -> Regex {
    Regex::new(r"(?:^|[^\w&/#])#(\w{1,100})").unwrap_or_else(|_| unreachable!("constant regex"))
}

/// The mentions written in `text`, each once, in order.
pub fn mentions_in(text: &str) -> Vec<MentionHandle> {
    let mut seen = HashSet::new();
    mention_regex()
        .captures_iter(text)
        .filter_map(|c| {
            let username = c.get(1)?.as_str().trim_end_matches(['.', '-']).to_owned();
            let domain = c
                .get(2)
                .map(|d| d.as_str().trim_end_matches('.').to_lowercase());
            let handle = MentionHandle { username, domain };
            seen.insert(format!("{handle:?}").to_lowercase())
                .then_some(handle)
        })
        .collect()
}

/// The hashtags in `text`, lowercased, each once, in order.
pub fn hashtags_in(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    hashtag_regex()
        .captures_iter(text)
        .filter_map(|c| {
            let tag = c.get(1)?.as_str().to_lowercase();
            seen.insert(tag.clone()).then_some(tag)
        })
        .collect()
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Renders a local author's plain text as HTML: paragraphs, line breaks, links for web
/// addresses, for the given mentions and for hashtags (to `tag_base/<tag>`), marked up as
/// Mastodon does so clients style them. Addresses are found first, so an `@` or `#` inside
/// one is never read as a mention or a tag.
pub fn render_plain(text: &str, mentions: &[MentionLink], tag_base: &str) -> String {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    let mut html = String::with_capacity(text.len() * 2);
    for span in finder.spans(text.trim()) {
        let part = span.as_str();
        let web = part.starts_with("https://") || part.starts_with("http://");
        if span.kind().is_some() && web {
            let url = escape(part);
            html.push_str(&format!(
                "<a href=\"{url}\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">{url}</a>"
            ));
        } else {
            html.push_str(&link_mentions_and_tags(&escape(part), mentions, tag_base));
        }
    }
    html.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", p.trim().replace('\n', "<br>")))
        .collect()
}

fn link_mentions_and_tags(escaped: &str, mentions: &[MentionLink], tag_base: &str) -> String {
    let with_mentions = mention_regex().replace_all(escaped, |c: &regex::Captures| {
        let whole = &c[0];
        let at = whole.find('@').unwrap_or(0);
        let (lead, _) = whole.split_at(at);
        let handle = match c.get(2) {
            Some(d) => format!("{}@{}", &c[1], d.as_str()),
            None => c[1].to_owned(),
        };
        match mentions.iter().find(|m| m.handle.eq_ignore_ascii_case(&handle)) {
            Some(m) => format!(
                "{lead}<span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
                escape(&m.url),
                &c[1]
            ),
            None => whole.to_owned(),
        }
    });
    hashtag_regex()
        .replace_all(&with_mentions, |c: &regex::Captures| {
            let whole = &c[0];
            let hash = whole.find('#').unwrap_or(0);
            let (lead, _) = whole.split_at(hash);
            let tag = &c[1];
            format!(
                "{lead}<a href=\"{tag_base}/{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{tag}</span></a>",
                tag.to_lowercase()
            )
        })
        .into_owned()
}

/// The text of stored (sanitised) HTML, for matching keywords: tags become spaces, the
/// entities our sanitiser writes are decoded.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Cleans HTML from another server: keeps the markup Mastodon keeps (paragraphs, links,
/// emphasis, lists, quotes, code), drops scripts, styles, event handlers and unsafe URLs.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .tags(HashSet::from([
            "p",
            "br",
            "a",
            "span",
            "strong",
            "b",
            "em",
            "i",
            "u",
            "s",
            "del",
            "code",
            "pre",
            "blockquote",
            "ul",
            "ol",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "sup",
            "sub",
        ]))
        .tag_attributes(std::collections::HashMap::from([
            ("a", HashSet::from(["href", "class"])),
            ("span", HashSet::from(["class"])),
            ("ol", HashSet::from(["start", "reversed"])),
            ("li", HashSet::from(["value"])),
        ]))
        .url_schemes(HashSet::from(["http", "https", "mailto", "xmpp", "gemini"]))
        .link_rel(Some("nofollow noopener noreferrer"))
        .clean(html)
        .to_string()
}

/// An `http(s)` address that parses, or an error naming `field`.
pub(crate) fn check_web_url(field: &str, url: Option<&str>) -> crate::error::CoreResult<()> {
    match url {
        Some(u)
            if !(u.starts_with("https://") || u.starts_with("http://"))
                || url::Url::parse(u).is_err() =>
        {
            Err(crate::error::CoreError::Invalid(format!(
                "{field}: not a web address"
            )))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_links_and_hide_nothing_as_a_mention_or_tag() {
        let ana = MentionLink {
            handle: "ana".into(),
            url: "https://a.example/@ana".into(),
        };
        let html = render_plain(
            "Report: https://city.example/@ana/report?a=1&b=2#summary by @ana #policy",
            &[ana],
            "https://a.example/tags",
        );
        assert!(html.contains(
            "<a href=\"https://city.example/@ana/report?a=1&amp;b=2#summary\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">"
        ), "{html}");
        assert_eq!(html.matches("class=\"u-url mention\"").count(), 1, "{html}");
        assert_eq!(html.matches("hashtag").count(), 1, "{html}");
        assert!(!render_plain("javascript:alert(1)", &[], "").contains("<a"));
    }

    #[test]
    fn finds_mentions_and_tags() {
        let m = mentions_in("hi @ana and @Bob@Example.org, mail x@y.z #Inclusion #inclusion");
        assert_eq!(m.len(), 2);
        assert_eq!(
            m[0],
            MentionHandle {
                username: "ana".into(),
                domain: None
            }
        );
        assert_eq!(m[1].domain.as_deref(), Some("example.org"));
        assert_eq!(
            hashtags_in("#Inclusion and #inclusion, #cities"),
            ["inclusion", "cities"]
        );
    }

    #[test]
    fn renders_links_and_escapes() {
        let html = render_plain(
            "Hello @bob@b.test <b>!\n\nsee #Policy",
            &[MentionLink {
                handle: "bob@b.test".into(),
                url: "https://b.test/users/bob".into(),
            }],
            "https://a.test/tags",
        );
        assert!(html.contains("<a href=\"https://b.test/users/bob\" class=\"u-url mention\">"));
        assert!(html.contains("&lt;b&gt;"));
        assert!(html.contains("href=\"https://a.test/tags/policy\""));
        assert!(html.starts_with("<p>") && html.contains("</p><p>"));
    }

    #[test]
    fn sanitizer_drops_scripts_and_handlers() {
        let clean = sanitize(
            "<p onclick=\"x()\">hi<script>alert(1)</script><a href=\"javascript:x\">l</a></p>",
        );
        assert!(!clean.contains("script") && !clean.contains("onclick"));
        assert!(!clean.contains("javascript"));
    }

    #[test]
    fn plain_text_drops_markup_and_decodes_entities() {
        let html = render_plain("Fish & chips <3\n\nnext", &[], "https://a.test/tags");
        let text = plain_text(&html);
        assert!(text.contains("Fish & chips <3"), "{text}");
        assert!(!text.contains("<p>") && text.contains("next"));
    }
}
