from datetime import datetime, timezone


# A scheduled job: the scheduler calls it with the trigger header "schedule"; it does its work and reports.
def main(context):
    trigger = context.req.headers.get("x-appwrite-trigger", "http")
    started_at = datetime.now(timezone.utc).isoformat()
    context.log(f"job started at {started_at} (trigger: {trigger})")
    processed = sum(n * n for n in [1, 2, 3])
    return context.res.json({"job": "done", "trigger": trigger, "startedAt": started_at, "processed": processed})
