#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_projection::main(
        tyndau_projector_consultations::Consultations,
        "tyndau-projector-consultations",
        ([127, 0, 0, 1], 8086).into(),
    )
    .await
}
