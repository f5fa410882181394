from ninja import Router

router = Router(tags=["picture"])
