package org.radloop.dicom;

import com.pixelmed.network.Association;
import java.lang.reflect.Field;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Nagle off on the socket of an association PixelMed opened as SCU. PixelMed creates that
 * socket itself with Nagle on and offers no hook; without this a C-STORE SCU stalls on delayed ACKs
 * (measured here: ~20 instances/s instead of hundreds). The socket is a protected field of
 * PixelMed's public Association class, so reflection is the only way in.
 */
final class TcpNoDelay {
    private static final Logger LOG = LoggerFactory.getLogger(TcpNoDelay.class);
    private static final Field SOCKET = socketField();

    private TcpNoDelay() {
    }

    static void apply(Association association) {
        if (SOCKET == null || association == null) {
            return;
        }
        try {
            Socket socket = (Socket) SOCKET.get(association);
            if (socket != null) {
                socket.setTcpNoDelay(true);
            }
        } catch (Exception e) {
            LOG.debug("could not set TCP_NODELAY on a PixelMed association: {}", e.toString());
        }
    }

    private static Field socketField() {
        try {
            Field f = Association.class.getDeclaredField("socket");
            f.setAccessible(true);
            return f;
        } catch (Exception e) {
            LoggerFactory.getLogger(TcpNoDelay.class).warn("PixelMed's Association has no accessible socket field; "
                    + "SCU associations keep Nagle on: {}", e.toString());
            return null;
        }
    }
}
