"""Background tasks of the API (run by `manage.py db_worker`)."""

from django_tasks import task

from api import webhooks


@task()
def deliver_webhook(delivery_id: int) -> str:
    delivery = webhooks.attempt(delivery_id)
    return "skipped" if delivery is None else delivery.status
