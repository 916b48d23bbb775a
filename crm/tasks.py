"""Celery tasks of the CRM: thin, fetched by id, safe to run twice."""

from celery import shared_task

from crm.models import ImportBatch


@shared_task
def run_import(batch_id: int) -> dict:
    """Run an import the admin prepared (file stored, columns mapped); a second delivery does nothing."""
    from crm.importing import ImportFileError, delete_upload, import_organisations, stored_file

    batch = ImportBatch.objects.select_related("created_by").filter(pk=batch_id).first()
    if batch is None or batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.UNDONE):
        return {"batch": batch_id, "skipped": True}
    try:
        with stored_file(batch) as file:
            import_organisations(
                file=file,
                filename=batch.filename,
                user=batch.created_by,
                mapping=batch.column_mapping,
                batch=batch,
            )
        delete_upload(batch)
    except ImportFileError as error:
        # The file is gone or unreadable: say so on the batch's page instead of retrying forever.
        batch.status = ImportBatch.Status.FAILED
        batch.rejected_rows = [{"line": None, "reason": str(error)}]
        batch.save(update_fields=["status", "rejected_rows"])
    return {"batch": batch_id, "status": batch.status}


@shared_task
def read_import(batch_id: int) -> dict:
    """Read an uploaded file for the mapping screen (columns, examples, what the import would do).

    Runs in the worker so that no web process parses a file; a file that cannot be read (or breaks
    a limit) marks the batch failed with the reason, and its upload is deleted.
    """
    from crm.importing import ImportFileError, delete_upload, preview_data, stored_file

    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != ImportBatch.Status.READING:
        return {"batch": batch_id, "skipped": True}
    try:
        with stored_file(batch) as file:
            preview = preview_data(file=file, filename=batch.filename, mapping=batch.column_mapping or None)
    except ImportFileError as error:
        delete_upload(batch)
        ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.READING).update(
            status=ImportBatch.Status.FAILED, rejected_rows=[{"line": None, "reason": str(error)}]
        )
        return {"batch": batch_id, "status": ImportBatch.Status.FAILED}
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.READING).update(
        status=ImportBatch.Status.PREVIEW,
        preview=preview,
        column_mapping=preview["mapping"],
        total_rows=preview["total_rows"],
    )
    return {"batch": batch_id, "status": ImportBatch.Status.PREVIEW}
