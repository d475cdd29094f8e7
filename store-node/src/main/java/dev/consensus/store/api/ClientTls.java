package dev.consensus.store.api;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/** How this member dials another member's client URL (plain, or TLS with its own client cert). */
interface ClientTls {

    ClientTls PLAINTEXT = (builder, https) -> builder.usePlaintext();

    NettyChannelBuilder configure(NettyChannelBuilder builder, boolean https);
}
