use sea_orm::entity::prelude::*;

/// A post from a domain on probation that nobody here asked for, kept as it arrived until a
/// moderator lets it in or turns it down.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "held_posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub ap_id: String,
    pub author_id: i64,
    /// `not_followed` or `mention`.
    pub reason: String,
    /// JSON: the object as it was received (signature and origin already checked).
    #[sea_orm(column_type = "Text")]
    pub object: String,
    pub received_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
