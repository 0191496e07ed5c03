"""A transparent typology of communes: z-scores → PCA → Ward → k-means.

1. standardise each indicator: ``z = (x − mean) / sd`` (mean and sd stored);
2. PCA on the z-scores, keeping the components that explain ``variance`` (default 80 %);
3. Ward's hierarchical clustering on the component scores gives ``k`` starting centroids;
4. k-means refines them (Ward finds the shape, k-means makes the assignment stable);
5. the silhouette coefficient reports how well separated the types are (−1 … 1);
6. each type is named after the indicators whose centroid z-score deviates most.

The fitted :class:`Typology` stores everything needed to assign a new commune
(:meth:`Typology.assign`) and round-trips through :meth:`to_dict`/:meth:`from_dict` (JSON).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

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
    assignments: pd.DataFrame     # ags, type, name

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
                "names": self.names, "silhouette": self.silhouette}

    @classmethod
    def from_dict(cls, data: dict) -> Typology:
        return cls(list(data["features"]), np.array(data["mean"]), np.array(data["scale"]),
                   np.array(data["components"]), np.array(data["centroids"]),
                   np.array(data["centroids_z"]), list(data["names"]),
                   float(data["silhouette"]), pd.DataFrame(columns=["ags", "type", "name"]))


def fit_typology(table: pd.DataFrame, features=DEFAULT_FEATURES, k: int | None = None,
                 k_range=(2, 8), variance: float = 0.8, seed: int = 0) -> Typology:
    """Cluster the rows of ``table`` (one per commune). ``k=None`` picks the best silhouette."""
    features = list(features)
    data = table.dropna(subset=features)
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
    return Typology(features, mean, scale, components, centroids, centroids_z, names,
                    silhouette, assignments)


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
