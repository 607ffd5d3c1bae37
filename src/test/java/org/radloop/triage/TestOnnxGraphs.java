package org.radloop.triage;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * ONNX graphs built in the tests with the ONNX protobuf classes Tribuo ships, to prove that any model
 * described in YAML runs, whatever made it.
 */
final class TestOnnxGraphs {

    private TestOnnxGraphs() {
    }

    /**
     * A fixed convolutional hyperdensity detector, input {@code image} float [N, 2, 32, 32], output
     * {@code logit} float [N, 1]: a 3 x 3 conv that averages channel 0 (a blood window) and strongly
     * subtracts channel 1 (a bone window, so the skull's partial-volume rim does not count), global
     * max pooling, then 20 x (x - 0.38). With a sigmoid, a compact blob of blood-range pixels reads
     * near 1 and brain near 0. The offset sits above 1/3: the thin partial-volume ring where air meets
     * the skull passes through the blood range too, but fills at most 3 of a 3 x 3 neighbourhood.
     */
    static Path hyperdensityDetector(Path file) throws IOException {
        float[] w = new float[2 * 9];
        for (int i = 0; i < 9; i++) {
            w[i] = 1f / 9;
            w[9 + i] = -1f;
        }
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .setName("hyperdensity-cnn")
                .addInput(tensor("image", -1, 2, 32, 32))
                .addOutput(tensor("logit", -1, 1))
                .addInitializer(floats("w", w, 1, 2, 3, 3))
                .addInitializer(floats("k", new float[] {20f}))
                .addInitializer(floats("b", new float[] {-7.6f}))
                .addNode(node("Conv", "conv", "image", "w").addAttribute(OnnxMl.AttributeProto.newBuilder()
                        .setName("kernel_shape").setType(OnnxMl.AttributeProto.AttributeType.INTS).addInts(3).addInts(3)))
                .addNode(node("GlobalMaxPool", "pooled", "conv"))
                .addNode(node("Flatten", "flat", "pooled").addAttribute(OnnxMl.AttributeProto.newBuilder()
                        .setName("axis").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1)))
                .addNode(node("Mul", "scaled", "flat", "k"))
                .addNode(node("Add", "logit", "scaled", "b"))
                .build();
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("radloop-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph)
                .build();
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
        return file;
    }

    /**
     * A model that is stuck for a while: input {@code x} float [N, width], output {@code y} float
     * [N, 1], the row maximum of x + n after a Loop of {@code iterations} steps that each add 1. Each Loop step is a subgraph run of about a
     * microsecond, so a large count keeps the model busy far past any time limit.
     */
    static Path slowLoop(Path file, int width, long iterations) throws IOException {
        OnnxMl.GraphProto body = OnnxMl.GraphProto.newBuilder()
                .setName("step")
                .addInput(scalar("i", OnnxMl.TensorProto.DataType.INT64))
                .addInput(scalar("cond_in", OnnxMl.TensorProto.DataType.BOOL))
                .addInput(tensor("v_in", -1, width))
                .addOutput(scalar("cond_out", OnnxMl.TensorProto.DataType.BOOL))
                .addOutput(tensor("v_out", -1, width))
                .addInitializer(floats("one", new float[] {1f}))
                .addNode(node("Identity", "cond_out", "cond_in"))
                .addNode(node("Add", "v_out", "v_in", "one"))
                .build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .setName("slow-loop")
                .addInput(tensor("x", -1, width))
                .addOutput(tensor("y", -1, 1))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("m")
                        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addInt64Data(iterations))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("go")
                        .setDataType(OnnxMl.TensorProto.DataType.BOOL.getNumber()).addInt32Data(1))
                .addNode(node("Loop", "looped", "m", "go", "x").addAttribute(OnnxMl.AttributeProto.newBuilder()
                        .setName("body").setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(body)))
                .addNode(node("ReduceMax", "y", "looped")
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axes")
                                .setType(OnnxMl.AttributeProto.AttributeType.INTS).addInts(1))
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims")
                                .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1)))
                .build();
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("radloop-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph)
                .build();
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
        return file;
    }

    private static OnnxMl.ValueInfoProto scalar(String name, OnnxMl.TensorProto.DataType type) {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(OnnxMl.TensorShapeProto.newBuilder())))
                .build();
    }

    private static OnnxMl.NodeProto.Builder node(String op, String output, String... inputs) {
        OnnxMl.NodeProto.Builder b = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
        for (String in : inputs) b.addInput(in);
        return b;
    }

    /** A float tensor's type; -1 is a symbolic batch dimension. */
    private static OnnxMl.ValueInfoProto tensor(String name, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d < 0) dim.setDimParam("N"); else dim.setDimValue(d);
            shape.addDim(dim);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }

    private static OnnxMl.TensorProto floats(String name, float[] values, long... dims) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
        for (long d : dims) t.addDims(d);
        for (float v : values) t.addFloatData(v);
        return t.build();
    }

    /** The YAML that makes {@link #hyperdensityDetector} a RadLoop model: nothing else is needed. */
    static String hyperdensityYaml(String id, String onnxFile, String modality) {
        return """
                id: %s
                version: "0.1"
                file: %s
                task: classification
                selectors:
                  modalities: [%s]
                input: {tensor: image, layout: NCHW, size: {height: 32, width: 32}, dtype: float32}
                preprocessing:
                  series: most-slices
                  rescale: true
                  windows: [{centre: 60, width: 40}, {centre: 100, width: 40}]
                  normalise: {method: scale01}
                output: {tensor: logit, activation: sigmoid, labels: [hyperdensity]}
                decision:
                  combine: {method: top-k-mean, k: 2}
                  labels:
                    hyperdensity: {threshold: 0.5, findingCode: TEST-HYPERDENSE, text: Hyperdense focus, severity: 3}
                """.formatted(id, onnxFile, modality);
    }
}
