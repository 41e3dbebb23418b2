"""따릉이 safety-stock engine: plain Python (numpy, pandas, lightgbm, ortools), no Django.

Modules: ``problems`` (counted bad input), ``stations`` (station lists, crosswalk, demand
files), ``trips`` (OA-15182 trip history), ``synth`` (synthetic trips), ``forecast``,
``safety_stock``, ``routing``, ``replay``, ``live`` (real-time status).
"""
