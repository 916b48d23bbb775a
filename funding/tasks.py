"""Celery tasks of funding: thin, fetched by id, safe to run twice."""

from celery import shared_task

from funding.models import LevyImport


@shared_task
def run_levy_import(levy_import_id: int) -> dict:
    """Run a levy-list import the admin started; a second delivery does nothing."""
    from django.utils.translation import gettext as _

    from crm.importing import ImportFileError
    from funding.levy import import_levy_list, stored_path
    from stadshart.storage import private_storage

    levy_import = LevyImport.objects.select_related("created_by").filter(pk=levy_import_id).first()
    if levy_import is None or levy_import.status != LevyImport.Status.RUNNING:
        return {"levy_import": levy_import_id, "skipped": True}
    path = stored_path(levy_import)
    try:
        try:
            with private_storage().open(path, "rb") as file:
                data = file.read()
        except FileNotFoundError:
            raise ImportFileError(_("The uploaded file is no longer there; upload it again.")) from None
        import_levy_list(
            data=data,
            filename=levy_import.filename,
            year=levy_import.year,
            kind=levy_import.kind,
            user=levy_import.created_by,
            levy_import=levy_import,
        )
        # The list names businesses and their tax; nobody needs the file once imported (AVG).
        private_storage().delete(path)
    except ImportFileError as error:
        levy_import.status = LevyImport.Status.FAILED
        levy_import.rejected_rows = [{"line": None, "reason": str(error)}]
        levy_import.save(update_fields=["status", "rejected_rows"])
    except Exception:
        # Nothing was written (one transaction); say so instead of "running" for ever.
        LevyImport.objects.filter(pk=levy_import_id, status=LevyImport.Status.RUNNING).update(
            status=LevyImport.Status.FAILED
        )
        raise
    return {"levy_import": levy_import_id, "status": levy_import.status}


@shared_task
def check_levy_list(levy_import_id: int) -> dict:
    """The dry run of a levy list: read and check the stored file here, never in the web request."""
    from funding import levy
    from stadshart.storage import private_storage

    levy_import = LevyImport.objects.select_related("created_by").filter(pk=levy_import_id).first()
    if levy_import is None or levy_import.status != LevyImport.Status.CHECKING:
        return {"levy_import": levy_import_id, "skipped": True}
    try:
        with private_storage().open(levy.stored_path(levy_import), "rb") as file:
            data = file.read()
    except FileNotFoundError:
        data = None
    levy_import = levy.check_levy_list(levy_import=levy_import, data=data)
    return {"levy_import": levy_import_id, "status": levy_import.status}
