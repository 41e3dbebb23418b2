"""CCTV siting engine: plain Python (numpy, shapely, pyproj, highspy), never Django.

layers → grid → area_types → demand → mclp → explain/recommend → backtest. Each step is usable on
its own from the CLI, notebooks and tests; the web app wraps :func:`recommend.recommend`.
"""
