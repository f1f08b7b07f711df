"""Trains LeNet-5 on MNIST in PyTorch and exports it with torch.onnx.export: a network trained elsewhere, for
`elr import-onnx`, `elr eval` and `elr compress` (docs/ONNX.md, "A LeNet-5 trained in PyTorch, compressed").

Usage: /usr/bin/python3 scripts/train-torch-lenet5.py MNIST_DIR OUT.onnx [EPOCHS]

MNIST_DIR holds the four IDX files as scripts/fetch-data.sh leaves them ($ELR_DATA/mnist). Needs Debian's python3-torch
(the system Python, /usr/bin/python3; scripts/export-torch-models.py says why). The inputs are normalized as PyTorch's
MNIST example normalizes them, transforms.Normalize((0.1307,), (0.3081,)), so the import needs
--input-mean 0.1307 --input-std 0.3081. Prints the test error PyTorch measures, which `elr eval` on the imported file
should reproduce. Seeded, on one thread: the same run gives the same file on the same machine.
"""
import importlib.util
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

MEAN, STD = 0.1307, 0.3081


def lenet5():
    """The LeNet-5 that scripts/export-torch-models.py exports untrained (6 and 16 channels, 120 and 84 units, flattened with
    x.view(x.size(0), -1)), loaded from that script so that both files are of one network."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "export-torch-models.py")
    spec = importlib.util.spec_from_file_location("export_torch_models", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LeNet5()


def read_idx(path, header):
    """An IDX file's payload after its header (16 bytes for images, 8 for labels), as unsigned bytes."""
    with open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def load(directory, prefix):
    images = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte"), 16).reshape(-1, 1, 28, 28)
    labels = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte"), 8)
    x = (torch.from_numpy(images.astype(np.float32)) / 255.0 - MEAN) / STD
    return x, torch.from_numpy(labels.astype(np.int64))


def test_error(model, x, y):
    model.eval()
    with torch.no_grad():
        wrong = sum(int((model(x[i:i + 1000]).argmax(1) != y[i:i + 1000]).sum()) for i in range(0, len(x), 1000))
    return wrong / len(x)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: train-torch-lenet5.py MNIST_DIR OUT.onnx [EPOCHS]")
    directory, out = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) == 4 else 10
    torch.manual_seed(1)
    torch.set_num_threads(1)
    train_x, train_y = load(directory, "train")
    test_x, test_y = load(directory, "t10k")
    model = lenet5()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.8)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(train_x))
        for i in range(0, len(order), 64):
            batch = order[i:i + 64]
            optimizer.zero_grad()
            F.cross_entropy(model(train_x[batch]), train_y[batch]).backward()
            optimizer.step()
        scheduler.step()
        print(f"epoch {epoch + 1}: test error {test_error(model, test_x, test_y):.2%}", flush=True)
    model.eval()
    torch.onnx.export(model, test_x[:1], out, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    print(f"wrote {out}: test error {test_error(model, test_x, test_y):.2%} ({torch.__version__})")


if __name__ == "__main__":
    main()
