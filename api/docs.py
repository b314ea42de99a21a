"""/api/docs/: the API's documentation as a plain page, made from the same OpenAPI schema as
/api/schema/. Rendered on the server: no script or style from elsewhere (the Content Security
Policy allows only this site), readable without JavaScript, and styled like the service."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator

from hub.personal_data import no_personal_data

METHODS = ("get", "post", "put", "patch", "delete")


def _operations(schema: dict) -> list[dict]:
    found = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation.get("operationId", ""),
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "body": _body_schema(schema, operation),
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return found


def _body_schema(schema: dict, operation: dict) -> str:
    content = operation.get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1]


@no_personal_data("the API's documentation")
@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    return render(
        request,
        "api/docs.html",
        {"schema": schema, "operations": _operations(schema), "components": components},
    )
