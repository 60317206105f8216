//! Sans-IO PPTP (being written)
