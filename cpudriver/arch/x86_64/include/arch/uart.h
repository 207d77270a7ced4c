/*
 * arch/uart.h: the 16550 UART at COM1, the console of every core.
 *
 * The UART is the one device all CPU drivers share (see docs/01-boot.md,
 * "Sharing the console"): callers must hold the console lock while writing
 * a line; uart_init runs once on the boot core before any AP starts.
 */
#ifndef ARCH_UART_H
#define ARCH_UART_H
#include <stdbool.h>
#include <stdint.h>

#define COM1_BASE      0x3f8
#define UART_DATA      0   /* DLAB=0: transmit/receive holding register */
#define UART_IER       1   /* DLAB=0: interrupt enable */
#define UART_DLL       0   /* DLAB=1: divisor low */
#define UART_DLM       1   /* DLAB=1: divisor high */
#define UART_FCR       2
#define UART_LCR       3
#define UART_MCR       4
#define UART_LSR       5
#define UART_LCR_8N1   0x03
#define UART_LCR_DLAB  0x80
#define UART_LSR_THRE  0x20
#define UART_LSR_DR    0x01   /* a received byte is waiting */
#define UART_IER_RX    0x01   /* interrupt when a byte arrives */
#define UART_FCR_ENABLE_CLEAR 0xc7
#define UART_MCR_DTR_RTS_OUT2 0x0b

void uart_init(void);
void uart_putc(char c);
/* Input (kernel/coninput.h): receive interrupt on or off, poll, read. */
void uart_rx_enable(bool on);
bool uart_rx_ready(void);
uint8_t uart_rx_byte(void);

#endif
