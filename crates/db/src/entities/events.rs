use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub post_id: i64,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub starts_at: DateTimeWithTimeZone,
    pub ends_at: Option<DateTimeWithTimeZone>,
    pub timezone: Option<String>,
    pub status: String,
    pub previous_starts_at: Option<DateTimeWithTimeZone>,
    pub join_mode: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub external_url: Option<String>,
    pub capacity: Option<i32>,
    pub category: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub place_name: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub street_address: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub locality: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub region: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub postal_code: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub country: Option<String>,
    #[sea_orm(column_type = "Double", nullable)]
    pub latitude: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub longitude: Option<f64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub online_url: Option<String>,
    pub organiser_id: Option<i64>,
    pub series_id: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub rrule: Option<String>,
    pub remote_participant_count: Option<i32>,
    pub updated_at: DateTimeWithTimeZone,
    pub sequence: i32,
    pub recurrence_id: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
