"""Photos of a visit: the upload page (the visit page lists them, core/_photo_panel.html)."""

from salesorg.core.photo_views import PhotoAdd
from salesorg.sales.models import Visit


class VisitPhotoAdd(PhotoAdd):
    """Attach a photo to a visit (its rep, and the leaders who may edit it)."""

    model = Visit
