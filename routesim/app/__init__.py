"""The interactive app: map, controls, live charts and scenario comparison in Solara.

Nothing here is imported by ``import routesim``; Solara loads ``routesim.app.page``
when ``routesim app`` starts the server.
"""
