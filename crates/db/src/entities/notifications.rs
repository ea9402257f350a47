use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub recipient_id: i64,
    pub from_actor_id: i64,
    pub kind: String,
    pub post_id: Option<i64>,
    pub created_at: DateTimeWithTimeZone,
    /// Held back by the recipient's notification policy, shown under requests.
    pub filtered: bool,
    /// The warning a `moderation_warning` notification carries.
    pub warning_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
