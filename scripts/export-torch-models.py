"""Exports image classifiers with PyTorch's own torch.onnx.export, for tests/EdgeLowRank.Onnx.Tests (TorchExportTests).

Usage: /usr/bin/python3 scripts/export-torch-models.py OUT_DIR

Needs Debian's python3-torch and python3-torchvision (1.13.1 and 0.14.1 in Debian 12): they install into the system
Python, /usr/bin/python3, not into a pyenv or virtualenv one. Writes into OUT_DIR, for each model NAME:
  NAME.onnx        the graph, exported in eval mode with a dynamic batch (the trace's batch is 1)
  NAME.input.f32   a fixed random input of batch 2, N x C x H x W, little-endian float32
  NAME.output.f32  PyTorch's output for it, N x classes, little-endian float32
and manifest.json, which lists them with their shapes and the versions that wrote them. Every model and input is seeded.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

BATCH = 2


class LeNet5(nn.Module):
    """LeCun's LeNet-5 for 28x28 MNIST digits, flattened with the classic x.view(x.size(0), -1): with a dynamic batch the
    exporter computes the Reshape's shape from the tensor's (Shape, Gather, Unsqueeze, Concat)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class InceptionLike(nn.Module):
    """Three paths from one tensor joined by one torch.cat along the channels, as Inception's blocks join theirs, in an
    order the paths are not computed in: the exporter writes the paths' nodes a, b, c as forward computes them, so the
    chain is at c when the Concat of (b, c, a) comes, neither its first input nor its last. The joined channels are then
    pooled, flattened and read by a Linear layer, whose rows must match the stacked channels' order."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.path_a = nn.Conv2d(8, 4, 1)
        self.path_b = nn.Sequential(nn.Conv2d(8, 4, 1), nn.ReLU(), nn.Conv2d(4, 6, 3, padding=1))
        self.path_c = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), nn.Conv2d(8, 2, 1))
        self.fc = nn.Linear(12 * 8 * 8, 10)

    def forward(self, x):
        x = F.relu(self.stem(x))
        a = F.relu(self.path_a(x))
        b = F.relu(self.path_b(x))
        c = F.relu(self.path_c(x))
        y = F.max_pool2d(torch.cat([b, c, a], 1), 2)
        return self.fc(torch.flatten(y, 1))


class ZeroPadded(nn.Module):
    """Zero padding as a Pad of its own before each convolution of padding 0: nn.ZeroPad2d(1), then F.pad(x, (2, 2, 2, 2)).
    From opset 11 the exporter computes each Pad's pads from constants (ConstantOfShape, Concat, Reshape, a Slice with step
    -1, Transpose, Reshape, Cast) instead of writing them as one; the import evaluates them and folds each Pad into its Conv."""

    def __init__(self):
        super().__init__()
        self.pad = nn.ZeroPad2d(1)
        self.conv1 = nn.Conv2d(3, 8, 3)
        self.conv2 = nn.Conv2d(8, 8, 5, stride=2)
        self.fc = nn.Linear(8 * 8 * 8, 10)

    def forward(self, x):
        x = F.relu(self.conv1(self.pad(x)))
        x = F.relu(self.conv2(F.pad(x, (2, 2, 2, 2))))
        return self.fc(torch.flatten(x, 1))


class SamePadded(nn.Module):
    """PyTorch's padding='same' with even kernels (4, then 2), which pads each axis by k - 1 in all, the odd pixel after the
    image (kernel 4: 1 before, 2 after; kernel 2: 0 before, 1 after). torch.onnx.export 1.13 has no symbolic for it
    (aten::_convolution_mode is refused at every opset), so forward writes what it computes, F.pad by (k - 1) // 2 before
    and k // 2 after and the same Conv unpadded, which __init__ checks against the padding='same' modules themselves."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, kernel_size=4, padding='same')
        self.conv2 = nn.Conv2d(8, 8, kernel_size=2, padding='same')
        self.fc = nn.Linear(8 * 8 * 8, 10)
        with torch.no_grad():
            x = torch.randn(2, 3, 16, 16)
            y = self.conv1(x)
            assert torch.allclose(self.as_exported(self.conv1, x), y, atol=1e-6)
            assert torch.allclose(self.as_exported(self.conv2, y), self.conv2(y), atol=1e-6)

    @staticmethod
    def as_exported(conv, x):
        k = conv.kernel_size[0]
        return F.conv2d(F.pad(x, ((k - 1) // 2, k // 2, (k - 1) // 2, k // 2)), conv.weight, conv.bias)

    def forward(self, x):
        x = F.relu(self.as_exported(self.conv1, x))
        x = F.max_pool2d(F.relu(self.as_exported(self.conv2, x)), 2)
        return self.fc(torch.flatten(x, 1))


class ZeroPaddedAfter(nn.Module):
    """nn.ZeroPad2d((0, 1, 0, 1)) before a Conv of stride 2 and padding 0: a row below and a column right of the image only,
    as Keras' ZeroPadding2D(((0, 1), (0, 1))) before a VALID convolution gives TensorFlow's SAME over an even side."""

    def __init__(self):
        super().__init__()
        self.pad = nn.ZeroPad2d((0, 1, 0, 1))
        self.conv = nn.Conv2d(3, 8, 3, stride=2)
        self.fc = nn.Linear(8 * 8 * 8, 10)

    def forward(self, x):
        x = F.relu(self.conv(self.pad(x)))
        return self.fc(torch.flatten(x, 1))


def trained_batch_norms(model, sample, spread_first=False):
    """Batch norms as in a trained network: running statistics measured on data (random images, in train mode, as
    training measures them), and spread affine parameters. Freshly initialised ones (mean 0, variance 1) do not
    normalize: MobileNetV2's activations then fade with depth until its output no longer depends on its input (a
    transposed input changed it by 3e-7 of its size), and they fold into Conv biases that are all zeros.

    With spread_first, the affine parameters are spread before the statistics are measured, so each norm's statistics are
    those of its input in the network as evaluated, as after training. Spread after (the files of the older models), each
    norm's statistics belong to a network whose norms upstream were not yet spread, and the mismatch compounds with depth:
    EfficientNet-B0's activations then grew to 7e3 by its sixth stage, and PyTorch and ONNX Runtime differed by 4.5e-4
    of its largest output (float32 rounding of values that large); spread first, every stage's stay below 12."""
    def spread():
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.1, 0.1)

    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None   # a plain average over the batches below
    if spread_first:
        spread()
    model.train()
    with torch.no_grad():
        for _ in range(2):
            model(torch.randn(8, *sample))
    if not spread_first:
        spread()
    return model


# name: (seed, builder of a model for samples of a shape, one sample's shape, what the file covers)
MODELS = {
    "lenet5": (1, lambda sample: LeNet5(), (1, 28, 28), "LeNet-5, x.view(x.size(0), -1) with a dynamic batch"),
    "resnet18": (2, lambda sample: trained_batch_norms(torchvision.models.resnet18(weights=None), sample), (3, 224, 224),
                 "torchvision ResNet-18, batch norms as if trained (statistics measured), folded into the Convs by the exporter"),
    # Untrained, its batch norms fold into equal zero biases, which the exporter stores once and reads through Identity
    # nodes at the start of the graph (16 of them).
    "resnet18-untrained": (2, lambda sample: torchvision.models.resnet18(weights=None), (3, 224, 224),
                           "torchvision ResNet-18 as initialised: shared initializers behind Identity nodes"),
    "mobilenet_v2": (3, lambda sample: trained_batch_norms(torchvision.models.mobilenet_v2(weights=None), sample), (3, 224, 224),
                     "torchvision MobileNetV2, batch norms as if trained (statistics measured), folded into the Convs by the exporter"),
    # No batch norms: as initialised, its output (a ReLU, then a global average) still depends on the input (the two
    # samples' outputs differ by about 3% of the largest), which TorchExportTests checks.
    "squeezenet1_1": (4, lambda sample: torchvision.models.squeezenet1_1(weights=None), (3, 224, 224),
                      "torchvision SqueezeNet 1.1: Fire modules joined by Concat, max pools in ceil mode over 111, 55 and 27 pixels"),
    # Its units split the channels in two (x.chunk(2, dim=1): Slices whose starts and ends the exporter computes from the
    # tensor's shape) and shuffle the channels of their Concat (a Reshape into 2 groups, a Transpose, a Reshape back).
    "shufflenet_v2_x0_5": (6, lambda sample: trained_batch_norms(torchvision.models.shufflenet_v2_x0_5(weights=None), sample), (3, 224, 224),
                           "torchvision ShuffleNet v2 x0.5, batch norms as if trained: channel halves by Slice, the shuffle by Reshape, "
                           "Transpose, Reshape"),
    # Hardswish, Hardsigmoid (squeeze-and-excitation gates: a Mul of the block's tensor by N x C x 1 x 1) and a Hardswish in
    # its classifier head, between a Gemm and a Dropout.
    "mobilenet_v3_small": (7, lambda sample: trained_batch_norms(torchvision.models.mobilenet_v3_small(weights=None), sample, spread_first=True), (3, 224, 224),
                           "torchvision MobileNetV3-Small, batch norms as if trained: HardSwish, squeeze-and-excitation gates by HardSigmoid "
                           "and Mul"),
    # SiLU (the exporter writes x * sigmoid(x) as Sigmoid and Mul) and Sigmoid-gated squeeze-and-excitation; its stochastic
    # depth is the identity in eval mode.
    "efficientnet_b0": (8, lambda sample: trained_batch_norms(torchvision.models.efficientnet_b0(weights=None), sample, spread_first=True), (3, 224, 224),
                        "torchvision EfficientNet-B0, batch norms as if trained: SiLU as Sigmoid and Mul, squeeze-and-excitation gates by "
                        "Sigmoid and Mul"),
    "inception_like": (5, lambda sample: InceptionLike(), (3, 16, 16),
                       "three paths joined by one Concat in the order (b, c, a), the chain at c, then flattened into a Linear layer"),
    "zero_padded": (9, lambda sample: ZeroPadded(), (3, 16, 16),
                    "nn.ZeroPad2d(1) and F.pad(x, (2, 2, 2, 2)) before Convs of padding 0: pads computed from constants by the exporter"),
    "same_padded": (10, lambda sample: SamePadded(), (3, 16, 16),
                    "nn.Conv2d(..., kernel_size=4, padding='same') and kernel_size=2 as F.pad and Convs of padding 0 (1.13 cannot export "
                    "padding='same'): the odd pixel of padding after the image"),
    "zero_padded_after": (11, lambda sample: ZeroPaddedAfter(), (3, 16, 16),
                          "nn.ZeroPad2d((0, 1, 0, 1)) before a Conv of stride 2: a row below and a column right only"),
}


def export(out, name, seed, build, sample):
    torch.manual_seed(seed)
    model = build(sample).eval()
    x = torch.randn(BATCH, *sample)
    torch.onnx.export(model, x[:1], os.path.join(out, name + ".onnx"), input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    with torch.no_grad():
        y = model(x)
    x.numpy().astype("<f4").tofile(os.path.join(out, name + ".input.f32"))
    y.numpy().astype("<f4").tofile(os.path.join(out, name + ".output.f32"))
    return list(x.shape), list(y.shape)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: export-torch-models.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    models = []
    for name, (seed, build, sample, description) in MODELS.items():
        input_shape, output_shape = export(out, name, seed, build, sample)
        models.append({"name": name, "description": description, "input_shape": input_shape, "output_shape": output_shape})
        print(f"{name}: {input_shape} -> {output_shape}")
    manifest = {"torch": torch.__version__, "torchvision": torchvision.__version__, "models": models}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
