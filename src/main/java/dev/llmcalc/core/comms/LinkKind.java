package dev.llmcalc.core.comms;

/** Which links a group's traffic crosses. */
public enum LinkKind {

    /** Every rank of the group is in one node: NVLink / Infinity Fabric / PCIe between its GPUs. */
    INTRA_NODE,

    /** The group spans nodes: its ring is limited by the network (one NIC per GPU). */
    INTER_NODE
}
