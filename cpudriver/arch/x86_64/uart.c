/*
 * uart.c: polled output on COM1 at 115200 baud, 8N1.
 * No interrupts, no input: the console is write-only for the CPU drivers.
 */
#include <arch/uart.h>
#include <arch/x86.h>

void uart_init(void)
{
	outb(COM1_BASE + UART_IER, 0);
	outb(COM1_BASE + UART_LCR, UART_LCR_DLAB);
	outb(COM1_BASE + UART_DLL, 1); /* 115200 / 1 */
	outb(COM1_BASE + UART_DLM, 0);
	outb(COM1_BASE + UART_LCR, UART_LCR_8N1);
	outb(COM1_BASE + UART_FCR, UART_FCR_ENABLE_CLEAR);
	outb(COM1_BASE + UART_MCR, UART_MCR_DTR_RTS_OUT2);
}

void uart_putc(char c)
{
	/* Bounded wait: a missing UART must not hang the core forever. */
	for (int i = 0; i < 100000; i++) {
		if (inb(COM1_BASE + UART_LSR) & UART_LSR_THRE)
			break;
		__asm__ volatile("pause");
	}
	outb(COM1_BASE + UART_DATA, (unsigned char)c);
}

void uart_rx_enable(bool on)
{
	outb(COM1_BASE + UART_IER, on ? UART_IER_RX : 0);
}

bool uart_rx_ready(void)
{
	return inb(COM1_BASE + UART_LSR) & UART_LSR_DR;
}

uint8_t uart_rx_byte(void)
{
	return inb(COM1_BASE + UART_DATA);
}
