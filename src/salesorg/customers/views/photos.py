"""Photos of a customer: the upload page (the customer page lists them)."""

from salesorg.core.photo_views import PhotoAdd
from salesorg.customers.models import Contact, Customer


class CustomerPhotoAdd(PhotoAdd):
    """Attach a photo to a customer: its owner rep too, like its stakeholders."""

    model = Customer
    permission_model = Contact
