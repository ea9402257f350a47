use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub reporter_id: i64,
    pub target_id: i64,
    pub category: String,
    #[sea_orm(column_type = "Text")]
    pub comment: String,
    /// Space-separated post ids.
    #[sea_orm(column_type = "Text")]
    pub status_ids: String,
    /// Space-separated rule ids.
    #[sea_orm(column_type = "Text")]
    pub rule_ids: String,
    pub forward: bool,
    pub created_at: DateTimeWithTimeZone,
    pub resolved_at: Option<DateTimeWithTimeZone>,
    /// The moderator handling it.
    pub assigned_to_id: Option<i64>,
    pub resolved_by_id: Option<i64>,
    /// When it was sent on to the reported account's server.
    pub forwarded_at: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
