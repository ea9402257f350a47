use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_permissions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub recipient_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub from_actor_id: i64,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
