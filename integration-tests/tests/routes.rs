//! Every operation in the OpenAPI documents is really served: a documented path that the router
//! does not know would answer the generic `not_found` or `method_not_allowed` problem.

use reqwest::Method;
use tyndau_testkit::{Reply, TestPlatform};

fn operations(document: &utoipa::openapi::OpenApi) -> Vec<(Method, String)> {
    let value = serde_json::to_value(document).expect("the document serialises");
    let paths = value["paths"].as_object().expect("the document has paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            let concrete = path.replace("{id}", "0196a000-0000-7000-8000-0000000000ff");
            item.as_object()
                .into_iter()
                .flat_map(|methods| methods.keys())
                .filter_map(move |method| {
                    Method::from_bytes(method.to_uppercase().as_bytes())
                        .ok()
                        .map(|m| (m, concrete.clone()))
                })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_operation_is_routed() {
    let platform = TestPlatform::spawn().await;
    let apis = [
        (platform.command_url().to_owned(), tyndau_command_api::openapi()),
        (platform.query_url().to_owned(), tyndau_query_api::openapi()),
    ];
    for (base, document) in apis {
        let operations = operations(&document);
        assert!(!operations.is_empty());
        for (method, path) in operations {
            let reply = Reply::read(platform.client().request(method.clone(), format!("{base}{path}"))).await;
            assert!(
                !matches!(reply.code(), Some("not_found" | "method_not_allowed")),
                "{method} {path} is documented but not routed ({:?})",
                reply.code()
            );
        }
    }
    platform.shutdown().await;
}
