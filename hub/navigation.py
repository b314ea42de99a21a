"""Role-based navigation: each item shows only to users holding its permission.

Each item: (label, url name, permission). Items lead to real pages only.
"""

NAV_ITEMS: list[tuple[str, str, str]] = [
    ("Worklist", "cautions:worklist", "cautions.view_case"),
    ("Cases", "cautions:case_list", "cautions.view_case"),
    ("People", "hub:person_search", "hub.view_person"),
    ("Referrals", "referrals:inbox", "referrals.change_referral"),
    ("Dashboard", "reporting:dashboard", "reporting.view_dashboard"),
    ("Imports", "reporting:import", "reporting.import_data"),
    ("Access log", "hub:audit_log", "hub.view_accesslog"),
    ("Subject access", "records:subject_access_search", "records.subject_access"),
    ("Retention", "security:retention_list", "cautions.review_retention"),
    ("Staff accounts", "security:account_list", "auth.change_user"),
    ("API tokens", "api_tokens:token_list", "api.change_apitoken"),
    ("Webhooks", "webhooks:list", "api.change_webhooksubscription"),
    ("Outbox", "notifications:outbox", "notifications.view_outbox"),
]
