use sea_orm::entity::prelude::*;

/// A shared list of blocks or allows, fetched from an address every day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "domain_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `block` or `allow`.
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub uri: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub title: Option<String>,
    /// `csv`, `json` or `plain`; none: told from the content.
    pub format: Option<String>,
    /// Higher wins when two lists name the same domain.
    pub priority: i32,
    pub as_draft: bool,
    pub adopt_orphans: bool,
    pub remove_retracted: bool,
    pub fetched_at: Option<DateTimeWithTimeZone>,
    pub succeeded_at: Option<DateTimeWithTimeZone>,
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
    pub count: i32,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
