"""A transparent typology of communes: z-scores → PCA → Ward → k-means.

1. standardise each indicator: ``z = (x − mean) / sd`` (mean and sd stored);
2. PCA on the z-scores, keeping the components that explain ``variance`` (default 80 %);
3. Ward's hierarchical clustering on the component scores gives ``k`` starting centroids;
4. k-means refines them (Ward finds the shape, k-means makes the assignment stable);
5. the silhouette coefficient reports how well separated the types are (−1 … 1);
6. each type is named after the indicators whose centroid z-score deviates most;
7. stability: the communes are resampled with replacement (bootstrap), the typology refitted
   with the same k and every commune assigned again; the mean adjusted Rand index (ARI)
   against the full fit is ``stability`` and, per commune, the mean Jaccard overlap of its
   fellow members is ``stabilitaet`` in ``assignments`` (Hennig, C. (2007), "Cluster-wise
   assessment of cluster stability", *Computational Statistics & Data Analysis* 52(1)).

Features should be stable themselves (issue 14, defect 8): :func:`period_features` averages
the yearly indicators over fixed periods and measures change between fixed years, and
:func:`decorrelate` drops features that nearly repeat another one (|r| > 0.85).

The fitted :class:`Typology` stores everything needed to assign a new commune
(:meth:`Typology.assign`) and round-trips through :meth:`to_dict`/:meth:`from_dict` (JSON).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score

from .errors import DemographyError

DEFAULT_FEATURES = ("veraenderung_prozent", "medianalter", "jugendquotient", "altenquotient",
                    "geburten_je_1000", "sterbefaelle_je_1000", "wanderungssaldo_je_1000")
#: German wording for a high / low value of an indicator, used to name the types.
WORDING = {
    "veraenderung_prozent": ("wachsend", "schrumpfend"),
    "medianalter": ("alternd", "jung"),
    "durchschnittsalter": ("alternd", "jung"),
    "jugendquotient": ("kinderreich", "kinderarm"),
    "altenquotient": ("hoher Anteil Älterer", "wenige Ältere"),
    "geburten_je_1000": ("geburtenstark", "geburtenschwach"),
    "sterbefaelle_je_1000": ("hohe Sterblichkeit", "niedrige Sterblichkeit"),
    "wanderungssaldo_je_1000": ("Zuzugsgewinne", "Abwanderung"),
    "bildungswanderung": ("Zuzug junger Erwachsener", "Abwanderung junger Erwachsener"),
    "familienwanderung": ("Zuzug von Familien", "Fortzug von Familien"),
    "anteil_65_plus": ("hoher Anteil Älterer", "wenige Ältere"),
}


@dataclass
class Typology:
    features: list[str]
    mean: np.ndarray
    scale: np.ndarray
    components: np.ndarray        # (n_components, n_features)
    centroids: np.ndarray         # in component space (k, n_components)
    centroids_z: np.ndarray       # in z-score space (k, n_features), for naming and display
    names: list[str]
    silhouette: float
    assignments: pd.DataFrame     # ags, type, name, stabilitaet (0 … 1)
    stability: float = float("nan")          # mean bootstrap ARI (1 = always the same types)
    dropped: tuple[str, ...] = ()            # features left out as near-duplicates

    def _scores(self, frame: pd.DataFrame) -> np.ndarray:
        missing = [f for f in self.features if f not in frame]
        if missing:
            raise DemographyError(f"Für die Typisierung fehlen die Kennzahlen {', '.join(missing)}.")
        z = (frame[self.features].to_numpy(dtype=float) - self.mean) / self.scale
        if np.isnan(z).any():
            raise DemographyError("Für die Typisierung müssen alle Kennzahlen vorhanden sein.")
        return z @ self.components.T

    def assign(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Nearest stored centroid for each row of ``frame`` (which holds the features)."""
        scores = self._scores(frame)
        distances = ((scores[:, None, :] - self.centroids[None]) ** 2).sum(axis=2)
        types = distances.argmin(axis=1)
        out = pd.DataFrame({"type": types, "name": [self.names[t] for t in types]},
                           index=frame.index)
        if "ags" in frame:
            out.insert(0, "ags", frame["ags"].to_numpy())
        return out

    def to_dict(self) -> dict:
        return {"features": self.features, "mean": self.mean.tolist(),
                "scale": self.scale.tolist(), "components": self.components.tolist(),
                "centroids": self.centroids.tolist(), "centroids_z": self.centroids_z.tolist(),
                "names": self.names, "silhouette": self.silhouette,
                "stability": self.stability, "dropped": list(self.dropped)}

    @classmethod
    def from_dict(cls, data: dict) -> Typology:
        return cls(list(data["features"]), np.array(data["mean"]), np.array(data["scale"]),
                   np.array(data["components"]), np.array(data["centroids"]),
                   np.array(data["centroids_z"]), list(data["names"]),
                   float(data["silhouette"]), pd.DataFrame(columns=["ags", "type", "name"]),
                   float(data.get("stability", float("nan"))), tuple(data.get("dropped", ())))


def fit_typology(table: pd.DataFrame, features=DEFAULT_FEATURES, k: int | None = None,
                 k_range=(2, 8), variance: float = 0.8, seed: int = 0,
                 bootstrap: int = 30) -> Typology:
    """Cluster the rows of ``table`` (one per commune). ``k=None`` picks the best silhouette;
    ``bootstrap`` resamples give the stability (0: not measured)."""
    data = table.dropna(subset=list(features))
    features, dropped = decorrelate(data, list(features))
    if len(data) < 4:
        raise DemographyError("Für eine Typisierung werden mindestens vier Kommunen mit allen "
                              "Kennzahlen benötigt.")
    x = data[features].to_numpy(dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    components = _principal_components(z, variance)
    scores = z @ components.T
    candidates = [k] if k else range(k_range[0], min(k_range[1], len(data) - 1) + 1)
    best = max((_cluster(scores, kk, seed) for kk in candidates), key=lambda r: r[2])
    labels, centroids, silhouette = best
    centroids_z = np.array([z[labels == c].mean(axis=0) for c in range(len(centroids))])
    names = _names(centroids_z, features)
    assignments = pd.DataFrame({"ags": data["ags"].to_numpy() if "ags" in data else data.index,
                                "type": labels, "name": [names[c] for c in labels]})
    stability, per_commune = _bootstrap_stability(scores, labels, len(centroids), seed,
                                                  bootstrap)
    assignments["stabilitaet"] = per_commune
    return Typology(features, mean, scale, components, centroids, centroids_z, names,
                    silhouette, assignments, stability, tuple(dropped))


def decorrelate(data: pd.DataFrame, features: list[str], limit: float = 0.85
                ) -> tuple[list[str], list[str]]:
    """Keep features in the given order, dropping each one whose absolute correlation with an
    already kept feature exceeds ``limit`` (it would count the same dimension twice)."""
    corr = data[features].astype(float).corr().abs()
    kept, dropped = [], []
    for feature in features:
        if any(corr.loc[feature, other] > limit for other in kept):
            dropped.append(feature)
        else:
            kept.append(feature)
    return kept, dropped


def period_features(table: pd.DataFrame, start: int, end: int,
                    features=DEFAULT_FEATURES) -> pd.DataFrame:
    """One row per commune: each yearly indicator averaged over ``start … end``, and
    ``veraenderung_prozent`` as the change of the population from 31.12. ``start`` to
    31.12. ``end`` – a fixed period, not "since the first year the data hold"."""
    part = table[(table["year"] >= start) & (table["year"] <= end)]
    rates = [f for f in features if f != "veraenderung_prozent" and f in part]
    out = part.groupby("ags")[rates].mean()
    if "veraenderung_prozent" in features:
        population = part.pivot_table(index="ags", columns="year", values="bevoelkerung")
        if start in population and end in population:
            out["veraenderung_prozent"] = 100.0 * (population[end] / population[start] - 1.0)
    return out.reset_index()


def _bootstrap_stability(scores: np.ndarray, labels: np.ndarray, k: int, seed: int,
                         rounds: int) -> tuple[float, np.ndarray]:
    """Mean ARI of bootstrap refits against ``labels`` and per-row mean Jaccard overlap."""
    n = len(labels)
    if rounds <= 0 or k < 2:
        return float("nan"), np.full(n, np.nan)
    rng = np.random.default_rng(seed)
    aris, jaccard = [], np.zeros(n)
    same = labels[:, None] == labels[None, :]
    for _ in range(rounds):
        sample = rng.choice(n, n, replace=True)
        if len(np.unique(scores[sample], axis=0)) <= k:
            continue
        _, centroids, _ = _cluster(scores[sample], k, seed)
        again = ((scores[:, None, :] - centroids[None]) ** 2).sum(axis=2).argmin(axis=1)
        aris.append(adjusted_rand_score(labels, again))
        both = same & (again[:, None] == again[None, :])
        either = same | (again[:, None] == again[None, :])
        jaccard += both.sum(axis=1) / either.sum(axis=1)
    if not aris:
        return float("nan"), np.full(n, np.nan)
    return float(np.mean(aris)), jaccard / len(aris)


def _principal_components(z: np.ndarray, variance: float) -> np.ndarray:
    _, singular, vt = np.linalg.svd(z - z.mean(axis=0), full_matrices=False)
    explained = singular**2 / (singular**2).sum()
    keep = int(np.searchsorted(np.cumsum(explained), variance) + 1)
    return vt[: max(2, min(keep, len(vt)))]


def _cluster(scores: np.ndarray, k: int, seed: int):
    ward = fcluster(linkage(scores, method="ward"), t=k, criterion="maxclust") - 1
    start = np.array([scores[ward == c].mean(axis=0) for c in np.unique(ward)])
    km = KMeans(n_clusters=len(start), init=start, n_init=1, random_state=seed).fit(scores)
    labels = km.labels_
    quality = silhouette_score(scores, labels) if len(np.unique(labels)) > 1 else -1.0
    return labels, km.cluster_centers_, float(quality)


def _names(centroids_z: np.ndarray, features: list[str]) -> list[str]:
    names = []
    for row in centroids_z:
        order = np.argsort(-np.abs(row))[:2]
        words = [WORDING.get(features[i], (f"hoch: {features[i]}", f"niedrig: {features[i]}"))
                 [0 if row[i] > 0 else 1] for i in order if abs(row[i]) >= 0.3]
        text = ", ".join(words)
        names.append(text[:1].upper() + text[1:] if words else "Durchschnittlich")
    seen: dict[str, int] = {}
    for i, n in enumerate(names):  # keep names unique so users can tell the types apart
        seen[n] = seen.get(n, 0) + 1
        if seen[n] > 1:
            names[i] = f"{n} ({seen[n]})"
    return names
