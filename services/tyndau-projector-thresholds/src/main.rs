#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_projection::main(
        tyndau_projector_thresholds::Thresholds,
        "tyndau-projector-thresholds",
        ([127, 0, 0, 1], 8084).into(),
    )
    .await
}
