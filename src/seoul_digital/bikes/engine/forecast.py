"""Rentals and returns per station and hour as distributions.

- :class:`CalendarMean` — the baseline: mean per series × day type (workday/off-day) × hour
  over the training period (its distribution: the empirical spread of the same cells).
- :class:`CountForecaster` — one global LightGBM model with a Poisson objective over all
  series: calendar (hour, weekday, off-day), weather (NaN where missing: LightGBM routes
  missing values, they are counted), the series' calendar mean, and lags that are known at
  forecast time (≥ ``horizon`` hours old: the count ``horizon``..``horizon+2`` hours back,
  a day and a week back, and the last 24 hours relative to their calendar mean). The
  predictive distribution is negative binomial around the model's mean with a dispersion
  fitted by moments on the training residuals.
- Metrics: MAE, pinball loss at chosen quantiles, CRPS (exact for integer counts).

Series are rows of a (series, hours) matrix; a city-wide file is one series.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["calendar_features", "CalendarMean", "CountForecaster", "mae", "pinball",
           "crps_negbin", "crps_empirical", "nb_quantiles", "WEATHER_FEATURES"]

WEATHER_FEATURES = ["temperature", "humidity", "wind", "rainfall", "snowfall", "solar"]


def calendar_features(hours: pd.DatetimeIndex, holiday=None) -> pd.DataFrame:
    hol = np.zeros(len(hours), bool) if holiday is None else np.asarray(holiday, bool)
    dow = hours.day_of_week.to_numpy()
    return pd.DataFrame({"hour": hours.hour.to_numpy(), "dow": dow,
                         "offday": ((dow >= 5) | hol).astype(int),
                         "month": hours.month.to_numpy()}, index=hours)


class CalendarMean:
    """Mean per series × off-day × hour over the training hours (NaN hours ignored)."""

    def fit(self, y: np.ndarray, cal: pd.DataFrame) -> "CalendarMean":
        y = np.atleast_2d(np.asarray(y, float))
        key = (cal["offday"].to_numpy() * 24 + cal["hour"].to_numpy())
        self.table = np.zeros((y.shape[0], 48))
        self.samples: dict[int, np.ndarray] = {}
        for k in range(48):
            cols = key == k
            if cols.any():
                self.table[:, k] = np.nanmean(y[:, cols], axis=1) if cols.sum() else 0.0
                self.samples[k] = y[:, cols]
        self.table = np.nan_to_num(self.table)
        return self

    def predict(self, cal: pd.DataFrame, series: np.ndarray | None = None) -> np.ndarray:
        key = (cal["offday"].to_numpy() * 24 + cal["hour"].to_numpy())
        table = self.table if series is None else self.table[series]
        return table[:, key]

    def quantiles(self, cal: pd.DataFrame, taus) -> np.ndarray:
        """(len(taus), series, hours) empirical quantiles of the same calendar cell."""
        key = (cal["offday"].to_numpy() * 24 + cal["hour"].to_numpy())
        out = np.zeros((len(taus), self.table.shape[0], len(key)))
        for k in np.unique(key):
            cols = key == k
            sample = self.samples.get(int(k))
            if sample is None:
                continue
            q = np.nanquantile(sample, taus, axis=1)  # (taus, series)
            out[:, :, cols] = q[:, :, None]
        return out


def _lag(y: np.ndarray, k: int) -> np.ndarray:
    out = np.full_like(y, np.nan, dtype=float)
    if k < y.shape[1]:
        out[:, k:] = y[:, :-k] if k else y
    return out


def _rolling_sum(y: np.ndarray, window: int, shift: int) -> np.ndarray:
    """Sum of y over [t-shift-window+1, t-shift], NaN where incomplete."""
    c = np.nancumsum(np.nan_to_num(y), axis=1)
    c = np.concatenate([np.zeros((y.shape[0], 1)), c], axis=1)
    t = np.arange(y.shape[1])
    end = t - shift + 1
    start = end - window
    ok = start >= 0
    out = np.full(y.shape, np.nan)
    out[:, ok] = c[:, end[ok]] - c[:, start[ok]]
    return out


@dataclass
class CountForecaster:
    horizon: int = 1
    use_lags: bool = True
    use_weather: bool = True
    n_estimators: int = 400
    learning_rate: float = 0.05
    num_leaves: int = 31
    seed: int = 0
    missing_weather: int = 0
    dispersion: float = np.inf  # NB size φ (inf = Poisson)
    feature_names: list[str] = field(default_factory=list)

    def _features(self, y: np.ndarray, cal: pd.DataFrame, weather: pd.DataFrame | None,
                  cm: np.ndarray) -> pd.DataFrame:
        s, t = y.shape
        cols: dict[str, np.ndarray] = {
            "hour": np.tile(cal["hour"].to_numpy(), s), "dow": np.tile(cal["dow"].to_numpy(), s),
            "offday": np.tile(cal["offday"].to_numpy(), s), "calendar_mean": cm.ravel()}
        if self.use_weather and weather is not None:
            for name in WEATHER_FEATURES:
                if name in weather:
                    cols[name] = np.tile(weather[name].to_numpy(float), s)
        if self.use_lags:
            h = self.horizon
            for k in (h, h + 1, h + 2, 24, 168):
                if k >= h:
                    cols[f"lag_{k}"] = _lag(y, k).ravel()
            recent = _rolling_sum(y, 24, h)
            expected = _rolling_sum(cm, 24, h)
            cols["level_24h"] = (recent / np.maximum(expected, 1e-6)).ravel()
            recent3 = _rolling_sum(y, 3, h)
            cols["level_3h"] = ((recent3 + 1) / (_rolling_sum(cm, 3, h) + 1)).ravel()
        frame = pd.DataFrame(cols)
        self.feature_names = list(frame.columns)
        return frame

    def fit(self, y: np.ndarray, cal: pd.DataFrame, weather: pd.DataFrame | None = None,
            mask: np.ndarray | None = None) -> "CountForecaster":
        """``y``: (series, hours) counts; ``mask``: hours to learn from (e.g. functioning)."""
        import lightgbm as lgb

        y = np.atleast_2d(np.asarray(y, float))
        self.calendar = CalendarMean().fit(np.where(mask, y, np.nan) if mask is not None else y, cal)
        cm = self.calendar.predict(cal)
        X = self._features(y, cal, weather, cm)
        target = y.ravel()
        keep = np.isfinite(target)
        if mask is not None:
            keep &= np.tile(np.asarray(mask, bool), y.shape[0])
        if self.use_weather and weather is not None:
            self.missing_weather = int(weather[[c for c in WEATHER_FEATURES if c in weather]]
                                       .isna().any(axis=1).sum())
        self.model = lgb.LGBMRegressor(objective="poisson", n_estimators=self.n_estimators,
                                       learning_rate=self.learning_rate,
                                       num_leaves=self.num_leaves, min_child_samples=20,
                                       subsample=0.8, subsample_freq=1, colsample_bytree=0.9,
                                       random_state=self.seed, n_jobs=2, verbose=-1)
        self.model.fit(X[keep], target[keep])
        mu = self.model.predict(X[keep])
        resid2 = (target[keep] - mu) ** 2
        excess = float(np.sum(resid2 - mu))
        self.dispersion = (float(np.sum(mu ** 2)) / excess) if excess > 0 else np.inf
        return self

    def predict(self, y_history: np.ndarray, cal: pd.DataFrame,
                weather: pd.DataFrame | None = None) -> np.ndarray:
        """Means for every (series, hour) of ``cal``; ``y_history`` holds the observed counts
        on the same grid (only values ≥ horizon hours before each predicted hour are used)."""
        y = np.atleast_2d(np.asarray(y_history, float))
        cm = self.calendar.predict(cal)
        X = self._features(y, cal, weather, cm)
        return np.maximum(self.model.predict(X), 0.0).reshape(y.shape)

    def quantiles(self, mean: np.ndarray, taus) -> np.ndarray:
        return nb_quantiles(mean, self.dispersion, taus)


def nb_quantiles(mean: np.ndarray, size: float, taus) -> np.ndarray:
    from scipy import stats

    mean = np.maximum(np.asarray(mean, float), 1e-9)
    if not np.isfinite(size):
        return np.stack([stats.poisson.ppf(t, mean) for t in taus])
    p = size / (size + mean)
    return np.stack([stats.nbinom.ppf(t, size, p) for t in taus])


def mae(y, pred, mask=None) -> float:
    y, pred = np.asarray(y, float), np.asarray(pred, float)
    m = np.isfinite(y) if mask is None else (np.asarray(mask, bool) & np.isfinite(y))
    return float(np.mean(np.abs(y[m] - pred[m])))


def pinball(y, q, tau: float, mask=None) -> float:
    y, q = np.asarray(y, float), np.asarray(q, float)
    m = np.isfinite(y) if mask is None else (np.asarray(mask, bool) & np.isfinite(y))
    d = y[m] - q[m]
    return float(np.mean(np.maximum(tau * d, (tau - 1) * d)))


def crps_negbin(y, mean, size: float, mask=None) -> float:
    """Mean CRPS of NB(mean, size) forecasts for integer outcomes: Σ_k (F(k) − 1{y ≤ k})²."""
    from scipy import stats

    y, mean = np.asarray(y, float).ravel(), np.asarray(mean, float).ravel()
    m = np.isfinite(y) if mask is None else (np.asarray(mask, bool).ravel() & np.isfinite(y))
    y, mean = y[m], np.maximum(mean[m], 1e-9)
    top = int(max(y.max(initial=0), float(nb_quantiles(mean, size, [0.9999]).max())) + 1)
    total = 0.0
    for chunk in range(0, len(y), 2000):
        yy, mu = y[chunk:chunk + 2000], mean[chunk:chunk + 2000]
        k = np.arange(top + 1)[None, :]
        if np.isfinite(size):
            cdf = stats.nbinom.cdf(k, size, size / (size + mu[:, None]))
        else:
            cdf = stats.poisson.cdf(k, mu[:, None])
        total += float(np.sum((cdf - (yy[:, None] <= k)) ** 2))
    return total / max(len(y), 1)


def crps_empirical(y, samples_by_cell, cells, mask=None) -> float:
    """CRPS of an empirical distribution (the calendar baseline): ``cells[i]`` names the
    sample array that forecasts ``y[i]``. Uses E|X−y| − ½E|X−X'|."""
    y = np.asarray(y, float).ravel()
    cells = np.asarray(cells).ravel()
    m = np.isfinite(y) if mask is None else (np.asarray(mask, bool).ravel() & np.isfinite(y))
    total, n = 0.0, 0
    for cell in np.unique(cells[m]):
        x = np.sort(np.asarray(samples_by_cell[cell], float))
        x = x[np.isfinite(x)]
        if not len(x):
            continue
        sel = m & (cells == cell)
        yy = y[sel]
        e1 = np.abs(x[None, :] - yy[:, None]).mean(axis=1)
        # ½E|X−X'| for a sorted sample: Σ (2i − n − 1) x_i / n²
        idx = np.arange(1, len(x) + 1)
        half = float(np.sum((2 * idx - len(x) - 1) * x)) / len(x) ** 2
        total += float(np.sum(e1 - half))
        n += len(yy)
    return total / max(n, 1)
