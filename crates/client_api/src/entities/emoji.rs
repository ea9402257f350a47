use passage_core::emojis::Emoji;
use serde::Serialize;

/// Mastodon's CustomEmoji.
#[derive(Clone, Debug, Serialize)]
pub struct CustomEmoji {
    pub shortcode: String,
    pub url: String,
    pub static_url: String,
    pub visible_in_picker: bool,
    pub category: Option<String>,
}

pub fn emoji_from(e: &Emoji) -> CustomEmoji {
    CustomEmoji {
        shortcode: e.shortcode.clone(),
        url: e.image_url.clone(),
        // Ours are stored still; remote ones may animate, and we keep no still copy.
        static_url: e.image_url.clone(),
        visible_in_picker: e.visible_in_picker,
        category: e.category.clone(),
    }
}
