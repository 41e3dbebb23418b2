"""UCI Seoul hourly rentals: ours vs calendar mean vs a plain LightGBM regressor.

One time-based split, one run: train 2017-12-01 … 2018-09-30, test 2018-10-01 … 2018-11-30
(hours the system was closed — "Functioning Day = No" — are known in advance, predicted as
0 by every model and left out of the scores; their number is printed). Weather features are
the observed hourly values (a perfect weather forecast, the same for every model that uses
them).

- calendar mean: mean per day type (workday / weekend+holiday) × hour over the training months
- plain LightGBM: LGBMRegressor defaults (L2) on calendar + weather features
- ours: global LightGBM Poisson count model with calendar, weather and lags that are known
  at forecast time (``--horizon`` hours ahead), negative-binomial predictive distribution

Prints MAE for all three, pinball (q10/q50/q90) and CRPS for the two distributional ones.
Usage: python bench/bikes_forecast.py [--horizon 1] [--data-dir …]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src")]

import numpy as np  # noqa: E402

from seoul_digital.bikes.engine import forecast as fc  # noqa: E402
from seoul_digital.bikes.engine.sources import UCI_FILE, data_dir  # noqa: E402
from seoul_digital.bikes.engine.stations import read_uci_hourly  # noqa: E402

TAUS = (0.1, 0.5, 0.9)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--horizon", type=int, nargs="+", default=[1, 3])
    ap.add_argument("--data-dir")
    ap.add_argument("--split", default="2018-10-01")
    args = ap.parse_args()
    base = data_dir(args.data_dir)
    if base is None or not (base / UCI_FILE).exists():
        print("UCI file not found (../shared/data/seoul/bikes or SEOUL_DATA_DIR)")
        return 2
    frame, problems = read_uci_hourly(base / UCI_FILE)
    print("read:", ", ".join(problems.lines()) or "no problems")
    hours = frame.index
    cal = fc.calendar_features(hours, frame["holiday"].to_numpy())
    y = frame["count"].to_numpy(float)[None, :]
    functioning = frame["functioning"].to_numpy()
    train = (hours < args.split)
    test = ~train
    score = test & functioning
    print(f"train {hours[train][0]:%Y-%m-%d} … {hours[train][-1]:%Y-%m-%d} ({train.sum()} h), "
          f"test {hours[test][0]:%Y-%m-%d} … {hours[test][-1]:%Y-%m-%d} ({test.sum()} h, "
          f"{(test & ~functioning).sum()} closed hours left out)")
    weather = frame[[c for c in fc.WEATHER_FEATURES if c in frame]]
    yt = y[0, score]

    t = time.perf_counter()
    cmodel = fc.CalendarMean().fit(np.where(train & functioning, y, np.nan), cal)
    cm_pred = cmodel.predict(cal)[0]
    cm_q = cmodel.quantiles(cal, TAUS)[:, 0, :]
    key = (cal["offday"].to_numpy() * 24 + cal["hour"].to_numpy())
    cm_samples = {k: v[0] for k, v in cmodel.samples.items()}
    rows = [("calendar mean", fc.mae(yt, cm_pred[score]),
             [fc.pinball(yt, cm_q[i, score], tau) for i, tau in enumerate(TAUS)],
             fc.crps_empirical(yt, cm_samples, key[score]), time.perf_counter() - t)]

    import lightgbm as lgb
    import pandas as pd

    t = time.perf_counter()
    Xp = pd.concat([cal[["hour", "dow", "offday"]].reset_index(drop=True),
                    weather.reset_index(drop=True)], axis=1)
    plain = lgb.LGBMRegressor(random_state=0, n_jobs=2, verbose=-1)
    fit_rows = train & functioning
    plain.fit(Xp[fit_rows], y[0, fit_rows])
    plain_pred = np.maximum(plain.predict(Xp), 0)
    rows.append(("plain LightGBM regressor", fc.mae(yt, plain_pred[score]), None, None,
                 time.perf_counter() - t))

    for h in args.horizon:
        t = time.perf_counter()
        model = fc.CountForecaster(horizon=h).fit(np.where(train, y, np.nan), cal, weather,
                                                 mask=train & functioning)
        # Predict with the observed series: lags ≥ h hours old only (see CountForecaster).
        pred = model.predict(y, cal, weather)[0]
        q = model.quantiles(pred, TAUS)
        rows.append((f"ours (count model, {h} h ahead)", fc.mae(yt, pred[score]),
                     [fc.pinball(yt, q[i, score], tau) for i, tau in enumerate(TAUS)],
                     fc.crps_negbin(yt, pred[score], model.dispersion), time.perf_counter() - t))
        print(f"  ours h={h}: NB dispersion φ={model.dispersion:.1f}, "
              f"missing-weather hours {model.missing_weather}")
        # Ablation: where does the gain come from? The plain L2 regressor on our features.
        t = time.perf_counter()
        X = model._features(y, cal, weather, model.calendar.predict(cal))
        abl = lgb.LGBMRegressor(random_state=0, n_jobs=2, verbose=-1)
        abl.fit(X[train & functioning], y[0, train & functioning])
        abl_pred = np.maximum(abl.predict(X), 0)
        rows.append((f"  ablation: plain LGBM + our lags, {h} h", fc.mae(yt, abl_pred[score]), None,
                     None, time.perf_counter() - t))

    print()
    print(f"{'model':<34}{'MAE':>9}{'pinball q10':>13}{'q50':>9}{'q90':>9}{'CRPS':>9}{'s':>7}")
    for name, m, pins, crps, secs in rows:
        p = "".join(f"{v:>9.1f}" for v in pins) if pins else f"{'—':>9}" * 3
        print(f"{name:<34}{m:>9.1f}    {p}{(f'{crps:>9.1f}' if crps is not None else f'{chr(8212):>9}')}{secs:>7.1f}")
    base_mae = rows[0][1]
    for name, m, *_ in rows[1:]:
        print(f"  {name}: MAE {m / base_mae:.2f}× calendar mean")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
