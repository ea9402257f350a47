use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversation_states")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub actor_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub thread_id: i64,
    pub read_up_to: i64,
    pub removed_up_to: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
