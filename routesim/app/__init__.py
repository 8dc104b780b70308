"""The interactive app: map, controls, live charts and scenario comparison in Solara.

Nothing here is imported by ``import routesim``; Solara loads ``routesim.app.page``
when ``routesim app`` starts the server.
"""

#: The port `routesim app` listens on unless told otherwise; here, not in the server module,
#: so that the command line's help can show it without importing the server.
DEFAULT_PORT = 8765
