use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "actors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub ap_id: String,
    pub kind: String,
    pub username: String,
    pub domain: String,
    pub local: bool,
    pub display_name: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub url: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub public_key_pem: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub private_key_pem: Option<String>,
    pub locked: bool,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
    pub fetched_at: Option<DateTimeWithTimeZone>,
    #[sea_orm(column_type = "Text", nullable)]
    pub avatar_url: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub header_url: Option<String>,
    /// Profile fields as a JSON array of `{"name", "value"}` (value as sanitised HTML).
    #[sea_orm(column_type = "Text", nullable)]
    pub fields: Option<String>,
    /// Organisations only: whether anyone may see who its members are.
    pub members_public: bool,
    /// Limited by a moderator: off public timelines.
    pub silenced_at: Option<DateTimeWithTimeZone>,
    /// Suspended by a moderator: nothing in or out, no login.
    pub suspended_at: Option<DateTimeWithTimeZone>,
    /// Its media is always marked sensitive (a moderator's action).
    pub sensitized_at: Option<DateTimeWithTimeZone>,
    /// Its posts and login are gone for good (and its deletion federated).
    pub purged_at: Option<DateTimeWithTimeZone>,
    /// The other accounts this one says it also is (`alsoKnownAs`): a JSON array of ids.
    #[sea_orm(column_type = "Text", nullable)]
    pub also_known_as: Option<String>,
    /// The id of the account this one moved to (`movedTo`), once the move was verified.
    #[sea_orm(column_type = "Text", nullable)]
    pub moved_to: Option<String>,
    pub moved_at: Option<DateTimeWithTimeZone>,
    /// Found by name search and listed in directories (Mastodon's `discoverable`): off until
    /// a member turns it on, as many are people who must not be easy to find.
    pub discoverable: bool,
    /// Others may see whom it follows and who follows it; off by default (Mastodon's "hide
    /// collections" the other way round). The account itself always sees both.
    pub show_network: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The name to show a person: the display name, or the username when none was chosen
    /// (Mastodon leaves display names empty until their owner sets one).
    pub fn shown_name(&self) -> &str {
        if self.display_name.trim().is_empty() {
            &self.username
        } else {
            &self.display_name
        }
    }
}
