"""Photos for the scoping matrix (called by the org_records fixture): one of a visit and one
of a customer for each rep, taken by the rep, in records.extra["photos"]."""


def add_records(records, org_tree) -> None:
    from salesorg.core.photos import photo_add
    from tests.core.photo_images import picture_bytes, upload

    photos = {}
    for key, visit in records.visits.items():
        rep = org_tree.user(key)
        customer = records.customers[key]
        if key == "rep_former":  # a leaver adds nothing: the director added these
            rep = org_tree.user("director")
        photos[f"{key}-visit"] = photo_add(
            record=visit, upload=upload(picture_bytes(40, 30)), actor=rep
        )
        photos[f"{key}-customer"] = photo_add(
            record=customer, upload=upload(picture_bytes(30, 40)), actor=rep
        )
    records.extra["photos"] = photos
