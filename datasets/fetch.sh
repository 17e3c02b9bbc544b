#!/bin/sh
# Downloads the labelled corpora that commentguard's dataset adapters read, from their
# upstream GitHub repositories at the commits recorded in datasets/README.md, into DEST
# (the folder to give as COMMENTGUARD_DATA).
#
#   datasets/fetch.sh DEST
#
# Needs git, python3 and network access to github.com. UNTESTED: it was written on a machine
# without internet access (only package registries), so it has never been run end to end.
# Check the result with
#   COMMENTGUARD_DATA=DEST cargo test --test datasets checksums_match_the_manifest
# which compares every file with the sha256 in the manifest and names each mismatch.
#
# Two files are not published upstream and are rebuilt here from the upstream files:
# stormfront_degibert2018/stormfront_sentences.csv and toxigen_seeds/toxigen_prompt_sentences.csv
# (see datasets/README.md). Their rebuild follows the manifest's description; if its
# checksum differs, the row counts in datasets/README.md may not hold.
#
# Content warning: every file contains slurs and abusive text. Licences differ per set
# (datasets/README.md); CC BY-SA (Stormfront) is share-alike.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 DEST" >&2
    exit 2
fi
DEST=$1
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# fetch OWNER/REPO COMMIT: clones once into $WORK/REPO at COMMIT (a short sha is enough).
fetch() {
    dir="$WORK/$(echo "$1" | tr / _)"
    if [ ! -d "$dir" ]; then
        git clone --quiet --filter=blob:none --no-checkout "https://github.com/$1.git" "$dir"
        git -C "$dir" checkout --quiet "$2"
    fi
    echo "$dir"
}

# put SRC_DIR SRC_PATH DEST_PATH
put() {
    mkdir -p "$(dirname "$DEST/$3")"
    cp "$1/$2" "$DEST/$3"
}

r=$(fetch t-davidson/hate-speech-and-offensive-language cb50f7e9)
put "$r" data/labeled_data.csv davidson2017/labeled_data.csv
put "$r" LICENSE davidson2017/LICENSE

r=$(fetch HannahKirk/Hatemoji a626f632)
for f in train validation test; do put "$r" "HatemojiBuild/$f.csv" "hatemoji_build/$f.csv"; done
put "$r" LICENSE hatemoji_build/LICENSE

r=$(fetch hate-alert/HateXplain 01d74227)
put "$r" Data/post_id_divisions.json hatexplain/post_id_divisions.json
put "$r" LICENSE hatexplain/LICENSE
r=$(fetch swiyasree/HateSpeechDetection 2a00e944)
put "$r" data/raw/hatexplain_validation.json hatexplain/hatexplain_validation.jsonl
put "$r" data/raw/hatexplain_test.json hatexplain/hatexplain_test.jsonl
put "$r" data/training_data.csv hatexplain/hatexplain_train_derived.csv

r=$(fetch conversationai/unintended-ml-bias-analysis 9c7d91aa)
put "$r" sentence_templates/en_sentence_templates.csv conversationai_bias_templates/en_sentence_templates.csv
for f in bias_madlibs_77k toxicity_nonfuzzed_testset toxicity_fuzzed_testset; do
    put "$r" "archive/unintended_ml_bias/eval_datasets/$f.csv" "conversationai_bias_templates/$f.csv"
done

r=$(fetch amandacurry/convabuse c0a9469f)
for f in train valid test; do put "$r" "2_splits/ConvAbuseEMNLP$f.csv" "convabuse/ConvAbuseEMNLP$f.csv"; done
put "$r" LICENSE convabuse/LICENSE

r=$(fetch Vicomtech/hate-speech-dataset b802137e)
put "$r" annotations_metadata.csv stormfront_degibert2018/annotations_metadata.csv
put "$r" LICENSE stormfront_degibert2018/LICENSE
# One row per sentence file, in the order of annotations_metadata.csv, with its text and split.
python3 - "$r" "$DEST/stormfront_degibert2018/stormfront_sentences.csv" <<'PY'
import csv, os, sys
src, out = sys.argv[1], sys.argv[2]
train = set(os.listdir(os.path.join(src, "sampled_train")))
test = set(os.listdir(os.path.join(src, "sampled_test")))
with open(os.path.join(src, "annotations_metadata.csv"), newline="", encoding="utf-8") as f, \
        open(out, "w", newline="", encoding="utf-8") as g:
    w = csv.writer(g)
    w.writerow(["file_id", "user_id", "subforum_id", "num_contexts", "label", "text", "split"])
    for row in csv.DictReader(f):
        name = row["file_id"] + ".txt"
        with open(os.path.join(src, "all_files", name), encoding="utf-8") as t:
            text = t.read()
        split = "sampled_train" if name in train else "sampled_test" if name in test else ""
        w.writerow([row["file_id"], row["user_id"], row["subforum_id"], row["num_contexts"],
                    row["label"], text, split])
PY

r=$(fetch microsoft/TOXIGEN 01517e81)
mkdir -p "$DEST/toxigen_seeds"
cp -R "$r/demonstrations" "$DEST/toxigen_seeds/"
put "$r" LICENSE.txt toxigen_seeds/LICENSE.txt
# Distinct seed sentences per prompt file (see the manifest's section 7 for the rules).
python3 - "$r/prompts" "$DEST/toxigen_seeds/toxigen_prompt_sentences.csv" <<'PY'
import csv, os, re, sys
src, out = sys.argv[1], sys.argv[2]
with open(out, "w", newline="", encoding="utf-8") as g:
    w = csv.writer(g)
    w.writerow(["label", "target_group", "text", "n_prompts", "source_file"])
    for name in sorted(os.listdir(src)):
        m = re.fullmatch(r"(hate|neutral)_(.+)_1k\.txt", name)
        if not m:
            continue
        counts, order = {}, []
        with open(os.path.join(src, name), encoding="utf-8") as f:
            for line in f:
                seen = set()
                for part in line.rstrip("\n").split("\\n"):
                    for s in re.split(r"(?<=[.!?]) - ", part.strip()):
                        s = s.strip()
                        s = s[2:] if s.startswith("- ") else s
                        s = s.rstrip("-\\").strip()
                        if not s or s in seen:
                            continue
                        seen.add(s)
                        if s not in counts:
                            counts[s] = 0
                            order.append(s)
                        counts[s] += 1
        for s in order:
            w.writerow([m.group(1), m.group(2), s, counts[s], "prompts/" + name])
PY

r=$(fetch ipavlopoulos/toxic_spans beaf1705)
for f in comments annotations spans; do put "$r" "data/$f.csv" "toxic_spans/$f.csv"; done
for f in train trial test; do put "$r" "SemEval2021/data/tsd_$f.csv" "toxic_spans/SemEval2021/tsd_$f.csv"; done
put "$r" LICENSE toxic_spans/LICENSE

r=$(fetch liuchaoqun/hate-speech-datasets 98f3ee81)
for f in stg1_posts stg2_posts stg3_posts stg1 stg2 stg3 SAP_posts; do
    put "$r" "implicit-hate-corpus/implicit_hate_v1_$f.tsv" "implicit_hate_elsherief2021/implicit_hate_v1_$f.tsv"
done
put "$r" implicit-hate-corpus/LICENSE implicit_hate_elsherief2021/LICENSE

r=$(fetch miwieg/naacl2022_identity_groups d0e7ee01)
put "$r" LabelledSentences/sentences.english.csv implicit_identity_abuse_wiegand2022/sentences.english.csv
put "$r" LICENSE implicit_identity_abuse_wiegand2022/LICENSE

echo "done: $DEST"
echo "check: COMMENTGUARD_DATA=$DEST cargo test --test datasets checksums_match_the_manifest"
