use sea_orm::entity::prelude::*;

/// A moderation action on an account (Mastodon's strike): what was done, the text the
/// account is told, when it ends by itself, and when it was lifted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_warnings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub target_id: i64,
    pub moderator_id: Option<i64>,
    /// `none`, `disable`, `sensitive`, `silence` or `suspend`.
    pub action: String,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub report_id: Option<i64>,
    pub expires_at: Option<DateTimeWithTimeZone>,
    pub lifted_at: Option<DateTimeWithTimeZone>,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
