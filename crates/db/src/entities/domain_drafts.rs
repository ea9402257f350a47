use sea_orm::entity::prelude::*;

/// A block or an allow proposed by an import or a subscription, not applied yet.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "domain_drafts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `block` or `allow`.
    pub kind: String,
    pub domain: String,
    pub severity: String,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub media_sensitive: bool,
    pub strip_avatars: bool,
    pub followers_only: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub private_comment: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub public_comment: Option<String>,
    pub obfuscate: bool,
    pub subscription_id: Option<i64>,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
