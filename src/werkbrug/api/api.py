from ninja import NinjaAPI

api = NinjaAPI(title="Werkbrug API", version="1", docs_url=None)
