#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_projection::main(
        tyndau_notifier::Notifications,
        "tyndau-notifier",
        ([127, 0, 0, 1], 8088).into(),
    )
    .await
}
